#!/usr/bin/env bash
# Run the client compatibility suite against an orgd binary:
#   compat/run.sh target/release/orgd
# Starts the binary in memory on a free loopback port, runs the pytest suite
# (boto3, raw HTTP, Terraform, and the web console in headless Chromium under
# compat/console/), the AWS CLI session and the JavaScript SDK scenario
# (installing compat/js/node_modules with `npm ci` when missing), then the
# Huawei Cloud SDK suite in compat/huawei (in its own venv, made by
# compat/huawei/install.sh), then moto's own organizations tests against an
# orgd of their own (compat/moto/run.sh), stops the server, and exits non-zero
# if anything failed. pytest's summary line is printed last.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=compat/serve.sh
source "$here/serve.sh"
binary=$(orgd_binary "$0" "${1:-}") || exit 2
shift

if ! python3 -m pytest --version >/dev/null 2>&1; then
    echo "compat: pytest is missing, installing it with pip"
    python3 -m pip install --quiet pytest || { echo "compat: could not install pytest" >&2; exit 2; }
fi

start_orgd "$binary" || exit 1
endpoint=$orgd_endpoint
echo "compat: orgd is up at $endpoint"

export ORGD_ENDPOINT="$endpoint"
# The console's strict-mode test starts its own orgd from the same binary.
export ORGD_BINARY="$binary"
cd "$repo"

# The clients under test, with their versions (compat/README.md keeps a table).
echo "compat: clients:"
python3 -c 'import sys, boto3, botocore; print(f"  boto3 {boto3.__version__}, botocore {botocore.__version__}, python {sys.version.split()[0]}")'
echo "  $(aws --version 2>&1 | head -n 1)"
if command -v terraform >/dev/null 2>&1; then
    tf_provider=$(cd compat && python3 -c 'import test_terraform as t; m, v = t.find_mirror(); print(f"hashicorp/aws {v} from {m}" if m else "no hashicorp/aws mirror")' 2>/dev/null)
    echo "  $(terraform version 2>/dev/null | head -n 1), ${tf_provider:-hashicorp/aws: unknown}"
else
    echo "  terraform: not installed"
fi
echo "  $(chromium --version 2>/dev/null || echo 'chromium: not installed (compat/console/install.sh)'), selenium $(python3 -c 'import selenium; print(selenium.__version__)' 2>/dev/null || echo 'not installed')"
echo "  node $(node --version 2>/dev/null || echo 'not installed'), @aws-sdk/client-organizations $(sed -n 's/.*"@aws-sdk\/client-organizations": "\(.*\)".*/\1/p' compat/js/package.json | head -n 1)"

pytest_out="$workdir/pytest.out"
python3 -m pytest compat/ -q --ignore=compat/huawei --ignore=compat/moto "$@" 2>&1 | tee "$pytest_out"
pytest_rc=${PIPESTATUS[0]}

echo
echo "compat: AWS CLI session"
bash compat/cli_session.sh
cli_rc=$?

echo
echo "compat: JavaScript SDK (@aws-sdk/client-organizations, node --test)"
js_rc=0
js_dir=compat/js
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "compat: node and npm are needed for the JavaScript SDK scenario and were not found" >&2
    js_rc=2
elif [ ! -f "$js_dir/node_modules/.package-lock.json" ] \
    || [ "$js_dir/package-lock.json" -nt "$js_dir/node_modules/.package-lock.json" ]; then
    echo "compat: installing $js_dir/node_modules with npm ci"
    if ! (cd "$js_dir" && npm ci --no-audit --no-fund --loglevel=error); then
        echo "compat: npm ci could not install the JavaScript SDK from $js_dir/package-lock.json (is the npm registry reachable?)" >&2
        js_rc=2
    fi
fi
if [ "$js_rc" = 0 ]; then
    (cd "$js_dir" && node --test organizations.test.mjs)
    js_rc=$?
fi

echo
echo "compat: Huawei Cloud SDK (huaweicloudsdkorganizations, compat/huawei)"
hw_rc=0
hw_out="$workdir/huawei.out"
if hw_python=$(bash compat/huawei/install.sh); then
    mkdir -p "$workdir/hw-home"
    # HOME in a scratch directory: the SDK writes ~/.huaweicloud (CLIENT.md).
    HOME="$workdir/hw-home" ORGD_BINARY="$binary" "$hw_python" -m pytest compat/huawei \
        -c compat/huawei/pytest.ini --confcutdir compat/huawei -q "$@" 2>&1 | tee "$hw_out"
    hw_rc=${PIPESTATUS[0]}
    # Extra arguments (-k ...) may select nothing here: pytest's "no tests ran".
    if [ "$hw_rc" = 5 ] && [ $# -gt 0 ]; then
        hw_rc=0
    fi
else
    echo "compat: could not install the Huawei SDK (is PyPI reachable?)" >&2
    hw_rc=2
fi
hw_summary=$(grep -E '^=*[ ]*[0-9]+ (passed|failed|error|errors|skipped|deselected)' "$hw_out" 2>/dev/null | tail -n 1)

echo
echo "compat: moto's own organizations tests in server mode (compat/moto)"
moto_out="$workdir/moto.out"
bash compat/moto/run.sh "$binary" 2>&1 | tee "$moto_out"
moto_rc=${PIPESTATUS[0]}
moto_summary=$(tail -n 1 "$moto_out" | sed 's|^compat/moto: ||')

summary=$(grep -E '^=*[ ]*[0-9]+ (passed|failed|error|errors|skipped|deselected)' "$pytest_out" | tail -n 1)
if [ "$pytest_rc" != 0 ] || [ "$cli_rc" != 0 ] || [ "$js_rc" != 0 ] || [ "$hw_rc" != 0 ]; then
    show_orgd_log
fi
if [ "$cli_rc" != 0 ]; then
    echo "compat: the AWS CLI session FAILED (exit $cli_rc)"
fi
if [ "$js_rc" != 0 ]; then
    echo "compat: the JavaScript SDK scenario FAILED (exit $js_rc)"
else
    echo "compat: the JavaScript SDK scenario passed"
fi
if [ "$hw_rc" != 0 ]; then
    echo "compat: the Huawei SDK suite FAILED (exit $hw_rc): ${hw_summary:-no summary}"
else
    echo "compat: the Huawei SDK suite passed: $hw_summary"
fi
if [ "$moto_rc" != 0 ]; then
    echo "compat: moto's organizations suite FAILED (exit $moto_rc): $moto_summary"
else
    echo "compat: moto's organizations suite passed: $moto_summary"
fi
# pytest's own summary line, repeated so that it closes the output.
echo "$summary"
if [ "$pytest_rc" != 0 ]; then
    exit "$pytest_rc"
fi
if [ "$cli_rc" != 0 ]; then
    exit "$cli_rc"
fi
if [ "$js_rc" != 0 ]; then
    exit "$js_rc"
fi
if [ "$hw_rc" != 0 ]; then
    exit "$hw_rc"
fi
exit "$moto_rc"
