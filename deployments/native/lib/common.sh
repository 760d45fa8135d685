# Shared helpers of the native stack manager: paths, messages, ports, processes, waiting.
# Sourced by stack.sh after lib/env.sh; every function that fails prints which component failed and where its log is.

LOGS="$RUN/logs"
PIDS="$RUN/pids"
mkdir -p "$DIST" "$LOGS" "$PIDS"

STACK_T0=$(date +%s)

say()  { printf '[stack %4ss] %s\n' "$(( $(date +%s) - STACK_T0 ))" "$*"; }
fail() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# Prints the last lines of a component's log after a failure.
show_log_tail() {
  local log="$1"
  if [ -f "$log" ]; then
    printf -- '----- last lines of %s -----\n' "$log" >&2
    tail -n 25 "$log" >&2
    printf -- '-----\n' >&2
  fi
}

# Runs a long install command with its output in a log, printing a progress line every 15 s.
run_install() {
  local component="$1" log="$2"; shift 2
  say "installing $component (log: $log)"
  local t0; t0=$(date +%s)
  ( "$@" ) >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 3
    local dt=$(( $(date +%s) - t0 ))
    if [ $(( dt % 15 )) -lt 3 ] && [ "$dt" -ge 15 ]; then
      say "  … still installing $component (${dt}s): $(tail -n 1 "$log" | cut -c1-100)"
    fi
  done
  if ! wait "$pid"; then
    show_log_tail "$log"
    fail "install of $component failed; full log: $log"
  fi
  say "installed $component in $(( $(date +%s) - t0 ))s"
}

APT_UPDATED=0
# Installs Debian packages unless every binary the component runs is already there (apt-get update once per run).
ensure_apt() {
  local component="$1" binaries="$2"; shift 2
  local b missing=""
  for b in $binaries; do command -v "$b" >/dev/null 2>&1 || missing="$missing $b"; done
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || fail "$component:$missing missing; install the Debian packages $* (needs root)"
  apt_install "$component" "$@"
}

# Installs Debian packages for a component (root), reading the package lists once per run.
apt_install() {
  local component="$1"; shift
  [ "$(id -u)" = 0 ] || fail "$component: install the Debian packages $* (needs root)"
  if [ "$APT_UPDATED" = 0 ]; then
    run_install "apt package lists" "$LOGS/install-apt-update.log" apt-get update -q
    APT_UPDATED=1
  fi
  run_install "$component ($*)" "$LOGS/install-$component.log" \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# Prints "pid command" of whoever listens on a TCP port, or nothing.
port_owner() {
  ss -Htlnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\2 \1/p' | head -n 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat): with the pid it identifies the
# process even after the pid is reused by another one.
start_ticks() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }

# Records "pid start-ticks" for a component.
record_pid() { echo "$2 $(start_ticks "$2")" >"$PIDS/$1.pid"; }

pid_of() { [ -f "$PIDS/$1.pid" ] && cut -d' ' -f1 "$PIDS/$1.pid"; }

# True when the pid file of a component names a live process that is still the one this stack started.
running() {
  [ -f "$PIDS/$1.pid" ] || return 1
  local pid ticks
  read -r pid ticks <"$PIDS/$1.pid" || true
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(start_ticks "$pid")" = "$ticks" ]
}

# Refuses to start a component whose port another process holds.
require_free_port() {
  local component="$1" port="$2" var="$3"
  if port_open "$port"; then
    local owner; owner=$(port_owner "$port")
    fail "$component: port $port is already taken by ${owner:-another process} (not started by this stack). Stop it, or choose another port with $var."
  fi
}

# Starts a foreground server in the background, detached from this shell, and records its pid.
spawn() {
  local component="$1" log="$2"; shift 2
  setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  record_pid "$component" $!
}

# Waits until a health command succeeds; on time-out names the component and shows its log.
wait_healthy() {
  local component="$1" timeout="$2" log="$3"; shift 3
  local t0; t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if ! running "$component"; then
      show_log_tail "$log"
      fail "$component exited during start-up; log: $log"
    fi
    if [ $(( $(date +%s) - t0 )) -ge "$timeout" ]; then
      show_log_tail "$log"
      fail "$component did not become healthy within ${timeout}s; log: $log"
    fi
    sleep 0.5
  done
}

# Stops a component started by this stack: TERM, then KILL after a grace period. Others are left alone.
stop_component() {
  local component="$1" grace="${2:-30}"
  local pid; pid=$(pid_of "$component") || return 0
  if running "$component"; then
    say "stopping $component (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt $(( grace * 2 )) ]; do sleep 0.5; i=$(( i + 1 )); done
    if kill -0 "$pid" 2>/dev/null; then
      say "  $component did not stop within ${grace}s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
      # Gone only once the kernel has reaped it (its port is free then): a start right after must not find it.
      i=0
      while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 0.5; i=$(( i + 1 )); done
    fi
  fi
  rm -f "$PIDS/$component.pid"
}

# Resident memory (KiB) of a process and its children.
rss_kib() {
  local pid="$1" total=0 p kib
  for p in $pid $(pgrep -P "$pid" 2>/dev/null); do
    # Nothing when the process is gone (or a zombie, which has no VmRSS) between pgrep and the read.
    kib=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null)
    total=$(( total + ${kib:-0} ))
  done
  echo "$total"
}
