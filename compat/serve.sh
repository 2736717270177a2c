# Sourced by the compatibility suites' runners (compat/run.sh, compat/moto/run.sh): the runner's
# binary argument, and an orgd started in memory on a free loopback port.
#
#   source compat/serve.sh
#   binary=$(orgd_binary "$0" "${1:-}") || exit 2; shift   # the runner's first argument
#   start_orgd "$binary" || exit 1
#
# start_orgd makes a scratch directory ($workdir, with the server's log $orgd_log), starts the
# server ($orgd_pid, at $orgd_endpoint) and waits until GET /_orgd/health answers; on exit the
# server is stopped and $workdir removed. If the server exits or does not answer within 30 s it
# prints the log's last lines and returns non-zero.

# The absolute path of a runner's first argument, an orgd binary (RUNNER names the runner in the
# usage message); returns 2 when it is missing or not executable.
orgd_binary() {
    local runner=$1 binary=$2
    if [ -z "$binary" ]; then
        echo "usage: $runner ORGD_BINARY [extra pytest args...]" >&2
        return 2
    fi
    if [ ! -x "$binary" ]; then
        echo "compat: $binary is not an executable file" >&2
        return 2
    fi
    echo "$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
}

# The last lines of the server's log, for a failure report.
show_orgd_log() {
    echo "---- last lines of the orgd log ($orgd_log) ----"
    tail -n 40 "$orgd_log"
    echo "----"
}

start_orgd() {
    local binary=$1 port
    workdir=$(mktemp -d)
    orgd_log=$workdir/orgd.log
    trap 'stop_orgd; rm -rf "$workdir"' EXIT
    trap 'exit 130' INT TERM
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    orgd_endpoint="http://127.0.0.1:$port"
    NO_COLOR=1 "$binary" serve --listen "127.0.0.1:$port" --in-memory >"$orgd_log" 2>&1 &
    orgd_pid=$!
    local _
    for _ in $(seq 1 150); do
        if ! kill -0 "$orgd_pid" 2>/dev/null; then
            echo "compat: orgd exited before it was ready" >&2
            show_orgd_log
            return 1
        fi
        if python3 - "$orgd_endpoint" <<'EOF' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_orgd/health", timeout=1) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
            return 0
        fi
        sleep 0.2
    done
    echo "compat: orgd did not answer $orgd_endpoint/_orgd/health within 30s" >&2
    show_orgd_log
    return 1
}

stop_orgd() {
    if [ -n "${orgd_pid:-}" ] && kill -0 "$orgd_pid" 2>/dev/null; then
        kill "$orgd_pid" 2>/dev/null
        wait "$orgd_pid" 2>/dev/null
    fi
    return 0
}
