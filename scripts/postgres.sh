#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for orgd's tests, from Debian's `postgresql` package.
#
#   scripts/postgres.sh install     installs the server if its binaries are missing (apt-get)
#   scripts/postgres.sh start DIR   creates a cluster in DIR (initdb), starts it on a free
#                                   loopback port and prints its URL: postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/postgres.sh stop DIR    stops that cluster (DIR is left for the caller to remove)
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user that
# the package creates. Authentication is `trust` on loopback only: it is a test cluster.
set -euo pipefail

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$dir" && -x "$dir/initdb" ]] || return 1
    echo "$dir"
}

# Runs a command as the cluster's owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
install)
    if bindir >/dev/null; then
        echo "postgresql: already installed ($(bindir))"
        exit 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # The package's post-install creates a cluster and tries to start it; neither is needed.
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    echo "postgresql: installed ($(bindir))"
    ;;
start)
    dir=${2:?usage: postgres.sh start DIR}
    bin=$(bindir) || { echo "postgresql is not installed: run scripts/postgres.sh install" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    dir=${2:?usage: postgres.sh stop DIR}
    bin=$(bindir)
    # Immediate: the cluster is thrown away, so no shutdown checkpoint is worth waiting for.
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
*)
    echo "usage: $0 install | start DIR | stop DIR" >&2
    exit 2
    ;;
esac
