#!/usr/bin/env bash
# Native DOOS stack without Docker: installs (cached by version under $DOOS_HOME), starts, health-checks and stops
# MariaDB ×3, Redis, etcd, Kafka, Elasticsearch, Temporal (+ Web UI), Prometheus, Alertmanager and Zipkin on 127.0.0.1.
#
#   stack.sh up [component…]      install what is missing, start, wait until healthy (idempotent)
#   stack.sh down [component…]    stop what `up` started (by its recorded pid), nothing else
#   stack.sh install [component…] install only
#   stack.sh status               one line per component: running or not, port, pid, RSS
#   stack.sh logs                 where every log is
#   stack.sh path <tool>          the executable of an installed tool
#   stack.sh pid <server>         the pid of a running server (fault tests freeze one with SIGSTOP)
# Components: mariadb redis etcd kafka elasticsearch temporal prometheus alertmanager zipkin (the group `servers`) and api order_worker
# relay_worker cdc_worker inventory_consumer (the group `apps`, run from this checkout); no component means servers then apps.
# One MariaDB instance alone: mariadb-shard0 mariadb-shard1 mariadb-inventory (outage tests stop one database).
# Tools (the group `tools`, install only): schemathesis, chromium.
set -euo pipefail

NATIVE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/env.sh
source "$NATIVE_DIR/lib/env.sh"
# shellcheck source=lib/common.sh
source "$NATIVE_DIR/lib/common.sh"
for f in mariadb redis etcd kafka elasticsearch temporal prometheus alertmanager zipkin api schemathesis chromium; do
  # shellcheck disable=SC1090
  source "$NATIVE_DIR/lib/$f.sh"
done

# One up, down or install at a time (the other actions only read): two at once — a benchmark restarting the apps while
# a soak restarted them — started two APIs, and the pid file named the one that could not listen while the other kept
# the port, out of `down`'s reach. flock holds the lock (-o: the servers started do not inherit it).
case "${1:-}" in
  up | down | install)
    if [ -z "${DOOS_STACK_LOCK_HELD:-}" ] && command -v flock >/dev/null; then
      mkdir -p "$RUN"
      DOOS_STACK_LOCK_HELD=1 exec flock -o "$RUN/stack.lock" bash "$NATIVE_DIR/stack.sh" "$@"
    fi
    ;;
esac

SERVERS="mariadb redis etcd kafka elasticsearch temporal prometheus alertmanager zipkin"
APPS="api order_worker relay_worker cdc_worker inventory_consumer"
ALL="$SERVERS $APPS"
TOOLS="schemathesis chromium"

check_component() {
  case " $ALL $TOOLS $MARIADB_PARTS " in *" $1 "*) ;; *) fail "unknown component '$1' (known: $ALL $TOOLS)";; esac
}

check_runnable() {
  case " $TOOLS " in *" $1 "*) fail "$1 is a tool: it is installed (stack.sh install $1), not started or stopped";; esac
}

cmd_install() { local c; for c in "$@"; do "${c}_install"; done; }

cmd_up() {
  local c
  cmd_install "$@"
  for c in "$@"; do "${c}_start"; done
  say "stack up ($*) in $(( $(date +%s) - STACK_T0 ))s; logs in $LOGS"
}

cmd_down() {
  local c i
  local -a order=("$@")
  # Reverse order: dependants first.
  for (( i=${#order[@]}-1; i>=0; i-- )); do "${order[$i]}_stop"; done
  say "stopped ($*)"
}

cmd_status() {
  local c entry p port pid total=0 rss
  printf '%-20s %-8s %-6s %-8s %s\n' COMPONENT STATE PORT PID RSS_MiB
  for c in $ALL; do
    # Each component lists its processes as name:port.
    for entry in $("${c}_components"); do
      p="${entry%%:*}"; port="${entry#*:}"
      if running "$p"; then
        pid=$(pid_of "$p"); rss=$(rss_kib "$pid"); total=$(( total + rss ))
        printf '%-20s %-8s %-6s %-8s %s\n' "$p" running "$port" "$pid" $(( rss / 1024 ))
      else
        printf '%-20s %-8s %-6s %-8s %s\n' "$p" stopped "$port" - -
      fi
    done
  done
  printf 'total RSS: %s MiB\n' $(( total / 1024 ))
}

cmd_logs() { ls -1 "$LOGS"/*.log "$RUN"/elasticsearch/logs/doos.log 2>/dev/null || true; }

action="${1:-}"; shift || true
[ $# -gt 0 ] || set -- $ALL
# shellcheck disable=SC2046
set -- $(for c in "$@"; do case "$c" in servers) echo "$SERVERS";; apps) echo "$APPS";; tools) echo "$TOOLS";; *) echo "$c";; esac; done)
for c in "$@"; do check_component "$c"; done
case "$action" in up|down) for c in "$@"; do check_runnable "$c"; done ;; esac
case "$action" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  path) [ $# -eq 1 ] || fail "usage: stack.sh path <tool>"; "${1}_path" ;;
  pid) [ $# -eq 1 ] || fail "usage: stack.sh pid <server>"; running "$1" || fail "$1 is not running"; pid_of "$1" ;;
  install) cmd_install "$@" ;;
  status) cmd_status ;;
  logs) cmd_logs ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
