# Alertmanager: receives the alerts Prometheus fires (deployments/native/prometheus.yml `alerting`) and delivers them
# to the API's webhook. Not on its default port 9093 (Kafka's controller here), and without clustering.

alertmanager_install() { ensure_apt alertmanager "prometheus-alertmanager curl" prometheus-alertmanager curl; }

# Writes Alertmanager's configuration for a webhook URL and token into a directory; prints the file's path.
alertmanager_config() {
  local dir="$1" url="$2" token="$3"
  mkdir -p "$dir"
  (umask 077; printf '%s' "$token" >"$dir/webhook-token")
  sed -e "s|__WEBHOOK_URL__|$url|" -e "s|__TOKEN_FILE__|$dir/webhook-token|" \
    "$NATIVE_DIR/alertmanager.yml" >"$dir/alertmanager.yml"
  echo "$dir/alertmanager.yml"
}

alertmanager_start() {
  local log="$LOGS/alertmanager.log" config
  if running alertmanager; then say "alertmanager already running on $DOOS_ALERTMANAGER_PORT"; return 0; fi
  require_free_port alertmanager "$DOOS_ALERTMANAGER_PORT" DOOS_ALERTMANAGER_PORT
  config=$(alertmanager_config "$RUN/alertmanager" "http://127.0.0.1:$DOOS_API_PORT/v1/alerts/webhook" \
    "$DOOS_ALERTS_WEBHOOK_TOKEN")
  spawn alertmanager "$log" prometheus-alertmanager --config.file="$config" \
    --storage.path="$RUN/alertmanager/data" --web.listen-address="127.0.0.1:$DOOS_ALERTMANAGER_PORT" \
    --cluster.listen-address=
  wait_healthy alertmanager 30 "$log" curl -fsS "http://127.0.0.1:$DOOS_ALERTMANAGER_PORT/-/ready"
  say "alertmanager up on 127.0.0.1:$DOOS_ALERTMANAGER_PORT (alerts to the API's /v1/alerts/webhook)"
}

alertmanager_stop() { stop_component alertmanager; }
alertmanager_components() { echo "alertmanager:$DOOS_ALERTMANAGER_PORT"; }
