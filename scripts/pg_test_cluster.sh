#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests, in a folder of its own.
#   pg_test_cluster.sh start DIR   initdb's DIR/data, starts the server on
#                                  127.0.0.1 (a free port) with its unix socket
#                                  in DIR, and prints the connection URL (also
#                                  written to DIR/url)
#   pg_test_cluster.sh stop DIR    stops that server and removes DIR
# Password (SCRAM) authentication, loopback only, fsync off: fast, and nothing
# outlives the folder. TLS is on, with a certificate for 127.0.0.1 and
# localhost from a CA made for the cluster (DIR/ca.crt), so tests can connect
# with sslmode=verify-full; the URL itself leaves libpq's default sslmode.
# With PD_PG_DURABLE=1 in the environment the cluster keeps PostgreSQL's
# durable defaults instead (fsync, synchronous_commit and full_page_writes
# on), as a benchmark of durable writes needs. PostgreSQL refuses to run as
# root, so when run as root the server runs as the unprivileged user
# phishdrill-pg (created when missing): DIR's parent must be reachable by
# that user (e.g. a folder directly in /tmp). Never prompts (CI runs as root
# with no stdin).
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
user=phishdrill-pg
action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# DIR/ca.crt (the cluster's own CA) and DIR/server.{crt,key} signed by it for
# 127.0.0.1 and localhost; the key readable by the server only.
make_certificates() {
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -days 7 -subj "/CN=phishdrill test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1 </dev/null
  openssl req "${ec[@]}" -subj "/CN=127.0.0.1" -keyout "$dir/server.key" \
    -out "$dir/server.csr" >/dev/null 2>&1 </dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 7 -extfile "$dir/san.ext" -out "$dir/server.crt" \
    >/dev/null 2>&1 </dev/null
  rm -f "$dir/ca.key" "$dir/server.csr" "$dir/san.ext" "$dir/ca.srl"
  chmod 600 "$dir/server.key"
  chmod 644 "$dir/ca.crt" "$dir/server.crt"
  [ "$(id -u)" -ne 0 ] || chown "$user" "$dir/server.key" "$dir/server.crt"
}

start() {
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id -u "$user" >/dev/null 2>&1 ||
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
    chown "$user" "$dir"
  fi
  local password port
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  port=$(free_port)
  (umask 077 && printf '%s\n' "$password" >"$dir/pwfile")
  [ "$(id -u)" -ne 0 ] || chown "$user" "$dir/pwfile"
  as_server_user "$bin/initdb" -D "$dir/data" -U phishdrill --pwfile="$dir/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 </dev/null
  rm -f "$dir/pwfile"
  make_certificates
  local options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
    -c max_connections=300 -c ssl=on -c ssl_cert_file=$dir/server.crt \
    -c ssl_key_file=$dir/server.key"
  [ "${PD_PG_DURABLE:-0}" = 1 ] ||
    options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "$options" >/dev/null </dev/null
  local url="postgres://phishdrill:$password@127.0.0.1:$port/phishdrill"
  PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U phishdrill phishdrill </dev/null
  printf '%s\n' "$url" >"$dir/url"
  printf '%s\n' "$url"
}

stop() {
  [ -d "$dir/data" ] && as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop \
    >/dev/null 2>&1 </dev/null || true
  rm -rf "$dir"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
