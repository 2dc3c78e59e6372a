#!/usr/bin/env bash
# A throwaway IMAP server (Debian's Dovecot 2.3) for the tests, in a folder of its own.
#   dovecot_test_server.sh start DIR   writes a configuration, users, certificates and
#                                      Maildir storage under DIR, starts Dovecot on
#                                      127.0.0.1 and returns once it answers over IMAPS
#   dovecot_test_server.sh stop DIR    stops that server (and its token endpoint) and
#                                      removes DIR
# What a test reads from DIR after start:
#   port            IMAPS (implicit TLS) port on 127.0.0.1
#   starttls_port   IMAP port on 127.0.0.1 that requires STARTTLS before any login
#   ca.crt          the CA that signed the server's certificate (for 127.0.0.1-3, localhost)
#   user, password  the mailbox user (reports@example.org) and its random password
#   token           a bearer token the server accepts for that user over SASL XOAUTH2 and
#                   OAUTHBEARER (its oauth2 passdb asks scripts/oauth2_introspection.py,
#                   on a free loopback port, which answers active=true for this token only)
#   dovecot.log     the server's log
# The IMAPS port answers on 127.0.0.2 and 127.0.0.3 too, as the same server
# without MOVE (127.0.0.2) and without MOVE and UIDPLUS (127.0.0.3), so a
# client's fallbacks can be tested.
# Messages are put into a folder with scripts/imap_test_client.py (IMAP APPEND, as a mail
# client would). Loopback only, nothing read from or written to /etc/dovecot, no system
# service touched: Dovecot runs from DIR/dovecot.conf with its base_dir, state and mail
# under DIR. Dovecot here never runs as root: when this script runs as root, Dovecot and
# the token endpoint (copied into DIR) run as the unprivileged user phishdrill-imap
# (created when missing), so DIR's parent must be reachable by that user (e.g. a folder
# directly in /tmp); the checkout need not be. Never
# prompts (CI runs as root with no stdin).
set -euo pipefail

user=phishdrill-imap
mail_user=reports@example.org
scripts=$(cd "$(dirname "$0")" && pwd)
action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
  else
    "$@"
  fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

random_secret() {
  /usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))'
}

# DIR/ca.crt (the server's own CA) and DIR/server.{crt,key} signed by it for
# 127.0.0.1 and localhost; the key readable by the server only.
make_certificates() {
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -days 7 -subj "/CN=phishdrill test IMAP CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1 </dev/null
  openssl req "${ec[@]}" -subj "/CN=127.0.0.1" -keyout "$dir/server.key" \
    -out "$dir/server.csr" >/dev/null 2>&1 </dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3,DNS:localhost\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 7 -extfile "$dir/san.ext" -out "$dir/server.crt" \
    >/dev/null 2>&1 </dev/null
  rm -f "$dir/ca.key" "$dir/server.csr" "$dir/san.ext" "$dir/ca.srl"
  chmod 600 "$dir/server.key"
  chmod 644 "$dir/ca.crt" "$dir/server.crt"
}

# Waits (at most 30 s) until FILE exists, while process PID runs.
wait_for_file() {
  local file=$1 pid=$2 what=$3
  for _ in $(seq 300); do
    [ -s "$file" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "dovecot_test_server: $what did not start:" >&2
  cat "$dir/introspection.log" >&2 || true
  return 1
}

# Waits (at most 30 s) until an IMAPS greeting verified against DIR/ca.crt arrives.
wait_for_greeting() {
  /usr/bin/python3 - "$dir/ca.crt" "$1" <<'EOF' || {
import socket, ssl, sys, time
context = ssl.create_default_context(cafile=sys.argv[1])
deadline = time.monotonic() + 30
while True:
    try:
        with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                if tls.recv(1024).startswith(b"* OK"):
                    sys.exit(0)
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.1)
EOF
    echo "dovecot_test_server: Dovecot did not answer on port $1; see $dir/dovecot.log:" >&2
    tail -n 20 "$dir/dovecot.log" >&2 || true
    return 1
  }
}

write_config() {
  local uid=$1 gid=$2 group=$3 port=$4 starttls_port=$5 token_port=$6
  local dh=""
  [ -r /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
  cat >"$dir/dovecot.conf" <<EOF
# Phishdrill's throwaway test IMAP server (scripts/dovecot_test_server.sh).
# Everything lives under $dir; nothing is read from /etc/dovecot.
instance_name = phishdrill-imap-$port
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1, 127.0.0.2, 127.0.0.3

# Not root: every process runs as the one user that started Dovecot.
default_internal_user = $(id -un "$uid")
default_internal_group = $group
default_login_user = $(id -un "$uid")
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid

ssl = required
ssl_cert = <$dir/server.crt
ssl_key = <$dir/server.key
$dh
ssl_min_protocol = TLSv1.2

mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
}

auth_mechanisms = plain login xoauth2 oauthbearer
# A wrong password answers at once (the tests try one on purpose).
auth_failure_delay = 0
# Bearer tokens: SASL XOAUTH2 and OAUTHBEARER, checked at the local introspection endpoint.
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf.ext
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/users
}

service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $starttls_port
  }
  inet_listener imaps {
    address = 127.0.0.1, 127.0.0.2, 127.0.0.3
    port = $port
    ssl = yes
  }
}
service anvil {
  chroot =
  # No growing delay after failed logins: the tests fail logins on purpose.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
protocol imap {
  # Tests run in parallel, each with a connection or two of its own.
  mail_max_userip_connections = 100
}
# The same server, as one without MOVE (127.0.0.2) and one without MOVE and
# UIDPLUS (127.0.0.3), for the clients' fallbacks. (The commands still work;
# they are only not offered.)
local 127.0.0.2 {
  protocol imap {
    imap_capability = IMAP4rev1 LITERAL+ UIDPLUS
  }
}
local 127.0.0.3 {
  protocol imap {
    imap_capability = IMAP4rev1 LITERAL+
  }
}
EOF
  cat >"$dir/oauth2.conf.ext" <<EOF
introspection_mode = post
introspection_url = http://127.0.0.1:$token_port/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
EOF
}

start() {
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id -u "$user" >/dev/null 2>&1 ||
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$user"
  fi
  local uid gid group port starttls_port password token token_port
  if [ "$(id -u)" -eq 0 ]; then uid=$(id -u "$user"); else uid=$(id -u); fi
  gid=$(id -g "$uid")
  group=$(id -gn "$uid")
  port=$(free_port)
  starttls_port=$(free_port)
  while [ "$starttls_port" = "$port" ]; do starttls_port=$(free_port); done
  password=$(random_secret)
  token=$(random_secret)
  mkdir -p "$dir/run" "$dir/state" "$dir/mail/$mail_user"
  printf '%s\n' "$mail_user" >"$dir/user"
  (umask 077 && printf '%s\n' "$password" >"$dir/password" && printf '%s\n' "$token" >"$dir/token")
  (umask 077 && printf '%s:{PLAIN}%s:%s:%s::%s::\n' "$mail_user" "$password" "$uid" "$gid" \
    "$dir/mail/$mail_user" >"$dir/users")
  make_certificates
  cp "$scripts/oauth2_introspection.py" "$dir/"
  [ "$(id -u)" -ne 0 ] || chown -R "$uid:$gid" "$dir"

  local runner=()  # as_server_user, but without a shell in between that outlives us
  [ "$(id -u)" -ne 0 ] || runner=(setpriv --reuid="$user" --regid="$user" --init-groups --)
  "${runner[@]}" /usr/bin/python3 "$dir/oauth2_introspection.py" --token-file "$dir/token" \
    --username "$mail_user" --port-file "$dir/introspection.port" \
    --pid-file "$dir/introspection.pid" </dev/null >/dev/null 2>"$dir/introspection.log" &
  wait_for_file "$dir/introspection.port" $! "the token introspection endpoint"
  token_port=$(cat "$dir/introspection.port")

  write_config "$uid" "$gid" "$group" "$port" "$starttls_port" "$token_port"
  [ "$(id -u)" -ne 0 ] || chown "$uid:$gid" "$dir/dovecot.conf" "$dir/oauth2.conf.ext"
  as_server_user /usr/sbin/dovecot -c "$dir/dovecot.conf" </dev/null
  wait_for_greeting "$port"
  printf '%s\n' "$port" >"$dir/port"
  printf '%s\n' "$starttls_port" >"$dir/starttls_port"
}

stop_pid_file() {
  local file=$1 pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  stop_pid_file "$dir/run/master.pid"
  stop_pid_file "$dir/introspection.pid"
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
