# The DOOS application processes run from this checkout with tsx (config/dev.yaml unless DOOS_ENV says): the API
# (api/server.ts), the order worker, the outbox relay worker, the CDC worker and the inventory consumer (workers/*.ts).
# DOOS_NODE_ARGS adds options to their node command line (BENCH_PROFILE=1 make bench sets --cpu-prof there). They run
# in the checkout (env -C): node resolves `--import tsx` from its working directory, not from the script.

REPO_DIR="$(cd "$NATIVE_DIR/../.." && pwd)"

api_install() {
  [ -d "$REPO_DIR/node_modules/tsx" ] || fail "api: npm dependencies are missing; run 'make deps' (or make up) first"
  [ -d "$REPO_DIR/generated/shard" ] || fail "api: Prisma clients are not generated; run 'make generate' first"
}

api_start() {
  local log="$LOGS/api.log"
  if running api; then say "api already running on $DOOS_API_PORT"; return 0; fi
  require_free_port api "$DOOS_API_PORT" DOOS_API_PORT
  local -a node_args; read -ra node_args <<<"${DOOS_NODE_ARGS:-}"
  spawn api "$log" env -C "$REPO_DIR" DOOS_API_PORT="$DOOS_API_PORT" node "${node_args[@]}" --import tsx "$REPO_DIR/api/server.ts"
  wait_healthy api 30 "$log" curl -fsS "http://127.0.0.1:$DOOS_API_PORT/health"
  say "api up on http://127.0.0.1:$DOOS_API_PORT"
}

api_stop() { stop_component api 15; }
api_components() { echo "api:$DOOS_API_PORT"; }

# Starts a worker process whose /health answers on its metrics port once it polls.
start_worker_process() {
  local name="$1" entry="$2" port_var="$3" what="$4"
  local log="$LOGS/$name.log" port="${!port_var}"
  if running "$name"; then say "$name already running"; return 0; fi
  require_free_port "$name" "$port" "$port_var"
  local -a node_args; read -ra node_args <<<"${DOOS_NODE_ARGS:-}"
  spawn "$name" "$log" env -C "$REPO_DIR" node "${node_args[@]}" --import tsx "$REPO_DIR/$entry"
  wait_healthy "$name" 60 "$log" curl -fsS "http://127.0.0.1:$port/health"
  say "$name $what (metrics http://127.0.0.1:$port/metrics)"
}

order_worker_install() { api_install; }
order_worker_start() {
  start_worker_process order-worker workers/order-worker.ts DOOS_METRICS_ORDERS_WORKER_PORT "polling task queue orders"
}
order_worker_stop() { stop_component order-worker 20; }
order_worker_components() { echo "order-worker:$DOOS_METRICS_ORDERS_WORKER_PORT"; }

relay_worker_install() { api_install; }
relay_worker_start() {
  start_worker_process relay-worker workers/relay-worker.ts DOOS_METRICS_RELAY_WORKER_PORT \
    "relaying every shard's outbox to Kafka"
}
relay_worker_stop() { stop_component relay-worker 20; }
relay_worker_components() { echo "relay-worker:$DOOS_METRICS_RELAY_WORKER_PORT"; }

cdc_worker_install() { api_install; }
cdc_worker_start() {
  start_worker_process cdc-worker workers/cdc-worker.ts DOOS_METRICS_CDC_WORKER_PORT \
    "indexing every shard's binlog into Elasticsearch"
}
cdc_worker_stop() { stop_component cdc-worker 20; }
cdc_worker_components() { echo "cdc-worker:$DOOS_METRICS_CDC_WORKER_PORT"; }

inventory_consumer_install() { api_install; }
inventory_consumer_start() {
  start_worker_process inventory-consumer workers/inventory-consumer.ts DOOS_METRICS_CONSUMER_PORT \
    "consuming doos.stock.deduct as group inventory-service"
}
inventory_consumer_stop() { stop_component inventory-consumer 20; }
inventory_consumer_components() { echo "inventory-consumer:$DOOS_METRICS_CONSUMER_PORT"; }
