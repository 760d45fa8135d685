# etcd: leases of Snowflake worker ids.

etcd_install() { ensure_apt etcd "etcd curl" etcd-server curl; }

etcd_start() {
  local log="$LOGS/etcd.log" url="http://127.0.0.1:$DOOS_ETCD_PORT" peer="http://127.0.0.1:$DOOS_ETCD_PEER_PORT"
  if running etcd; then say "etcd already running on $DOOS_ETCD_PORT"; return 0; fi
  require_free_port etcd "$DOOS_ETCD_PORT" DOOS_ETCD_PORT
  require_free_port etcd "$DOOS_ETCD_PEER_PORT" DOOS_ETCD_PEER_PORT
  mkdir -p "$RUN/etcd"
  spawn etcd "$log" etcd --name doos --data-dir "$RUN/etcd/data" \
    --listen-client-urls "$url" --advertise-client-urls "$url" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "doos=$peer" --initial-cluster-state new
  wait_healthy etcd 30 "$log" curl -fsS "$url/health"
  say "etcd up on 127.0.0.1:$DOOS_ETCD_PORT"
}

etcd_stop() { stop_component etcd; }
etcd_components() { echo "etcd:$DOOS_ETCD_PORT"; }
