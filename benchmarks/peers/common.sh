# Shared helpers for the peer scripts. Source it; do not run it.
# Every peer binds to 127.0.0.1 only and keeps all of its state under
# $SEALPOST_PEERS_DIR/<peer> (default /var/tmp/sealpost-peers/<peer>), which the
# start script recreates empty, so a run never sees data from an earlier one.
# /var/tmp rather than /tmp: /tmp can be a tmpfs, where fsync costs nothing.
set -euo pipefail

SEALPOST_PEERS_DIR="${SEALPOST_PEERS_DIR:-/var/tmp/sealpost-peers}"

die() { echo "peers: $*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "run as root (installs packages, creates users, starts daemons)"
}

# Installs Debian packages without starting their services: the packaged init
# scripts would start daemons on the public interfaces with the stock config.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  [ "$made_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
  # a package whose postinst ignored policy-rc.d must not stay up
  for svc in nats-server postfix dovecot prosody; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
      systemctl stop "$svc" || true
      systemctl disable "$svc" 2>/dev/null || true
    fi
  done
  return 0
}

# fresh_dir <peer>: prints the peer's work dir after recreating it empty
fresh_dir() {
  local dir="$SEALPOST_PEERS_DIR/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "$dir"
}

# wait_port <port> <seconds>: waits until something listens on 127.0.0.1:<port>
wait_port() {
  local port="$1" limit="$2" i=0
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -gt $((limit * 10)) ] && die "nothing listens on 127.0.0.1:$port after ${limit}s"
    sleep 0.1
  done
}

# spawn <pidfile> <log> <cmd...>: runs a foreground daemon in its own session
# (so its pid is also its process group) and appends the pid to <pidfile>
spawn() {
  local pidfile="$1" log="$2"
  shift 2
  setsid "$@" </dev/null >>"$log" 2>&1 &
  echo "$!" >>"$pidfile"
}

# group_running <pgid>: whether a process of the group is still running. A process that has
# exited but not been reaped (a zombie) does not count: the daemons here are orphans once their
# start script returns, and some init processes (this project's benchmark VMs' among them) reap
# orphans only every second or two, which `kill -0` alone counted as stop time.
group_running() {
  local pgid="$1" f line state pgrp
  kill -0 -- "-$pgid" 2>/dev/null || return 1
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    line=${line##*) } # after the command name, which may hold spaces and parentheses
    read -r state _ pgrp _ <<<"$line"
    [ "$pgrp" = "$pgid" ] && [ "$state" != Z ] && return 0
  done
  return 1
}

# stop_pids <pidfile>: TERM each process group listed (the daemon and the
# children it forked), then KILL whatever is left after 10 s
stop_pids() {
  local file="$1"
  [ -f "$file" ] || return 0
  local pids
  pids=$(cat "$file")
  for p in $pids; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for p in $pids; do group_running "$p" && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for p in $pids; do kill -KILL -- "-$p" 2>/dev/null || true; done
  rm -f "$file"
}
