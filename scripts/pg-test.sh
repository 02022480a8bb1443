#!/usr/bin/env bash
# A throw-away PostgreSQL for tests (Debian's postgresql 15 binaries, no system service):
#   scripts/pg-test.sh start DIR   initdb in DIR, start on a free 127.0.0.1 port (unix socket in
#                                  DIR), create the database "essaim", print its URL (also written
#                                  to DIR/url)
#   scripts/pg-test.sh stop DIR    stop that server (DIR is left for the caller to remove)
# PostgreSQL refuses to run as root: as root, DIR is given to the "postgres" system user (created
# by the Debian package) and every server command runs as that user through runuser.
# Example: ESSAIM_TEST_PG_URL=$(scripts/pg-test.sh start /tmp/pg) server/build/unit_tests
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bindir=$d; done
fi
[ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] || {
  echo "pg-test: PostgreSQL introuvable (paquet Debian « postgresql »)" >&2
  exit 3
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    cd /  # the server user may not be allowed into the caller's directory
    # A unix socket path is limited to 107 bytes: DIR must stay short.
    if [ ${#dir} -gt 80 ]; then
      echo "pg-test: chemin trop long pour le socket unix : $dir" >&2
      exit 2
    fi
    if [ "$(id -u)" -eq 0 ]; then
      id postgres >/dev/null 2>&1 || {
        echo "pg-test: utilisateur « postgres » absent (paquet postgresql)" >&2
        exit 3
      }
      chown postgres: "$dir"
      chmod 700 "$dir"
    fi
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$password" >"$dir/pwfile"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/pwfile"
    # Password (scram) over TCP, as in production; trust on the unix socket for the setup below.
    as_owner "$bindir/initdb" -D "$dir/data" -U essaim --pwfile="$dir/pwfile" \
      --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    rm -f "$dir/pwfile"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # fsync off: a test database need not survive a power cut, and tests run much faster.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    as_owner "$bindir/createdb" -h "$dir" -p "$port" -U essaim essaim
    url="postgresql://essaim:$password@127.0.0.1:$port/essaim"
    printf '%s\n' "$url" >"$dir/url"
    chmod 600 "$dir/url"
    echo "$url"
    ;;
  stop)
    [ -d "$dir/data" ] || exit 0
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    usage
    ;;
esac
