#!/usr/bin/env bash
# Runs moto's own organizations tests against an orgd binary, in moto's server mode:
#   compat/moto/run.sh target/release/orgd [extra pytest args...]
# The tests are those of the moto version installed (python3's `moto`): its sdist is fetched from
# PyPI by name once (`pip download --no-binary :all:`) into the ignored target/compat/moto/, and
# tests/__init__.py, tests/conftest.py and tests/test_organizations/ are extracted from it (the
# tests import the installed moto for its helpers). orgd is started in memory on a free port;
# moto's suite resets it through POST /moto-api/reset. compat/moto/expectations.py lists the
# tests that assert moto's behaviour where AWS's differs, each with its reason: they must fail,
# every other test must pass. Those stopped by one of moto's shortcuts (CreateAccount done at
# once, SCPs attached without the type enabled) then run again with their clients doing what a
# client of AWS must (ORGD_MOTO_AWS_CLIENT, expectations.py). Without moto or PyPI the suite is
# skipped, except under CI (`CI` set), where that fails. The last line printed sums up both runs.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=compat/serve.sh
source "$repo/compat/serve.sh"
binary=$(orgd_binary "$0" "${1:-}") || exit 2
shift

# Skipped outside CI, a failure in CI.
unavailable() {
    echo "compat/moto: $1" >&2
    if [ -n "${CI:-}" ]; then
        echo "compat/moto: FAILED (CI is set: moto's suite must run)" >&2
        exit 2
    fi
    echo "compat/moto: skipped"
    exit 0
}

version=$(python3 -c 'from importlib.metadata import version; print(version("moto"))' 2>/dev/null) \
    || unavailable "moto is not installed for python3 (pip install 'moto[server]')"
cache=${ORGD_MOTO_CACHE:-$repo/target/compat/moto}/moto-$version
if [ ! -f "$cache/tests/test_organizations/test_organizations.py" ]; then
    echo "compat/moto: fetching moto $version's sdist from PyPI into $cache"
    rm -rf "$cache"
    mkdir -p "$cache/sdist"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        "moto==$version" -d "$cache/sdist" >&2 \
        || unavailable "could not download moto==$version's sdist (is PyPI reachable?)"
    tar -xzf "$cache/sdist/moto-$version.tar.gz" -C "$cache" --strip-components=1 \
        "moto-$version/tests/__init__.py" "moto-$version/tests/conftest.py" \
        "moto-$version/tests/test_organizations" \
        || unavailable "moto-$version.tar.gz has no tests/test_organizations"
    rm -rf "$cache/sdist"
    # Its own rootdir, so that no pytest configuration of this repository applies.
    printf '[pytest]\naddopts = -p no:cacheprovider\n' >"$cache/pytest.ini"
fi

start_orgd "$binary" || exit 1
echo "compat/moto: moto $version's tests/test_organizations against orgd at $orgd_endpoint"

# One pytest run of moto's tests: RUN_NAME, then `env` assignments; pytest's summary line goes
# into $summary, and the exit status is pytest's.
run_suite() {
    local name=$1 out="$workdir/$1.out"
    shift
    echo "compat/moto: $name"
    (cd "$cache" && env TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT="$orgd_endpoint" \
        PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$@" \
        python3 -m pytest tests/test_organizations -q -rfEX --color=no -p expectations \
        "${pytest_args[@]}") 2>&1 | tee "$out"
    local rc=${PIPESTATUS[0]}
    summary=$(grep -E '^=*[ ]*[0-9]+ (passed|failed|error|errors|skipped|xfailed|deselected)' "$out" \
        | tail -n 1 | tr -d '=' | sed 's/^ *//')
    return "$rc"
}

pytest_args=("$@")
started=$SECONDS
run_suite "the tests as written"
rc=$?
as_written=$summary
# The tests that failed on one of moto's shortcuts, again as a client of AWS (expectations.py).
run_suite "the tests stopped by moto's shortcuts, again as a client of AWS" ORGD_MOTO_AWS_CLIENT=1
waiting_rc=$?
# Extra arguments (-k ...) may select none of these: pytest's "no tests ran".
if [ "$waiting_rc" = 5 ] && [ ${#pytest_args[@]} -gt 0 ]; then
    waiting_rc=0
fi
if [ "$rc" != 0 ] || [ "$waiting_rc" != 0 ]; then
    show_orgd_log
fi
echo "compat/moto: as written: $as_written; again as a client of AWS: $summary (moto $version, $((SECONDS - started)) s)"
if [ "$rc" != 0 ]; then
    exit "$rc"
fi
exit "$waiting_rc"
