# Prometheus: scrapes the API and workers' /metrics (targets in deployments/native/prometheus.yml).

prometheus_install() { ensure_apt prometheus "prometheus curl" prometheus curl; }

prometheus_start() {
  local log="$LOGS/prometheus.log"
  if running prometheus; then
    # Reloads its configuration and rules (SIGHUP): a checkout with new rules or targets takes effect now.
    kill -HUP "$(pid_of prometheus)" 2>/dev/null || true
    say "prometheus already running on $DOOS_PROMETHEUS_PORT (configuration reloaded)"
    return 0
  fi
  require_free_port prometheus "$DOOS_PROMETHEUS_PORT" DOOS_PROMETHEUS_PORT
  mkdir -p "$RUN/prometheus"
  spawn prometheus "$log" prometheus --config.file="$NATIVE_DIR/prometheus.yml" \
    --storage.tsdb.path="$RUN/prometheus/data" --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:$DOOS_PROMETHEUS_PORT"
  wait_healthy prometheus 30 "$log" curl -fsS "http://127.0.0.1:$DOOS_PROMETHEUS_PORT/-/ready"
  say "prometheus up on 127.0.0.1:$DOOS_PROMETHEUS_PORT"
}

prometheus_stop() { stop_component prometheus; }
prometheus_components() { echo "prometheus:$DOOS_PROMETHEUS_PORT"; }
