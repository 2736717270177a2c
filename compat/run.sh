#!/usr/bin/env bash
# Run the client compatibility suite against an orgd binary:
#   compat/run.sh target/release/orgd
# Starts the binary in memory on a free loopback port, runs the pytest suite
# (boto3, raw HTTP, Terraform, and the web console in headless Chromium under
# compat/console/), the AWS CLI session and the JavaScript SDK scenario
# (installing compat/js/node_modules with `npm ci` when missing), then the
# Huawei Cloud SDK suite in compat/huawei (in its own venv, made by
# compat/huawei/install.sh), stops the server, and exits non-zero if anything
# failed. pytest's summary
# line is printed last.
set -uo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 ORGD_BINARY [extra pytest args...]" >&2
    exit 2
fi
binary=$1
shift
if [ ! -x "$binary" ]; then
    echo "compat: $binary is not an executable file" >&2
    exit 2
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

if ! python3 -m pytest --version >/dev/null 2>&1; then
    echo "compat: pytest is missing, installing it with pip"
    python3 -m pip install --quiet pytest || { echo "compat: could not install pytest" >&2; exit 2; }
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
endpoint="http://127.0.0.1:$port"
workdir=$(mktemp -d)
server_log="$workdir/orgd.log"

NO_COLOR=1 "$binary" serve --listen "127.0.0.1:$port" --in-memory >"$server_log" 2>&1 &
server_pid=$!

cleanup() {
    if kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_server_log() {
    echo "---- last lines of the orgd log ($server_log) ----"
    tail -n 40 "$server_log"
    echo "----"
}

ready=0
for _ in $(seq 1 150); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "compat: orgd exited before it was ready" >&2
        show_server_log
        exit 1
    fi
    if python3 - "$endpoint" <<'EOF' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_orgd/health", timeout=1) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
        ready=1
        break
    fi
    sleep 0.2
done
if [ "$ready" != 1 ]; then
    echo "compat: orgd did not answer $endpoint/_orgd/health within 30s" >&2
    show_server_log
    exit 1
fi
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
python3 -m pytest compat/ -q --ignore=compat/huawei "$@" 2>&1 | tee "$pytest_out"
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

summary=$(grep -E '^=*[ ]*[0-9]+ (passed|failed|error|errors|skipped|deselected)' "$pytest_out" | tail -n 1)
if [ "$pytest_rc" != 0 ] || [ "$cli_rc" != 0 ] || [ "$js_rc" != 0 ] || [ "$hw_rc" != 0 ]; then
    show_server_log
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
exit "$hw_rc"
