# The DOOS application processes run from this checkout with tsx (config/dev.yaml unless DOOS_ENV says): the API
# (api/server.ts), the order worker (workers/order-worker.ts) and the outbox relay worker (workers/relay-worker.ts).

REPO_DIR="$(cd "$NATIVE_DIR/../.." && pwd)"

api_install() {
  [ -d "$REPO_DIR/node_modules/tsx" ] || fail "api: npm dependencies are missing; run 'make deps' (or make up) first"
  [ -d "$REPO_DIR/generated/shard" ] || fail "api: Prisma clients are not generated; run 'make generate' first"
}

api_start() {
  local log="$LOGS/api.log"
  if running api; then say "api already running on $DOOS_API_PORT"; return 0; fi
  require_free_port api "$DOOS_API_PORT" DOOS_API_PORT
  spawn api "$log" env DOOS_API_PORT="$DOOS_API_PORT" node --import tsx "$REPO_DIR/api/server.ts"
  wait_healthy api 30 "$log" curl -fsS "http://127.0.0.1:$DOOS_API_PORT/health"
  say "api up on http://127.0.0.1:$DOOS_API_PORT"
}

api_stop() { stop_component api 15; }
api_components() { echo api; }

order_worker_install() { api_install; }

order_worker_start() {
  local log="$LOGS/order-worker.log" port="${DOOS_METRICS_ORDERS_WORKER_PORT:-9464}"
  if running order-worker; then say "order-worker already running"; return 0; fi
  require_free_port order-worker "$port" DOOS_METRICS_ORDERS_WORKER_PORT
  spawn order-worker "$log" node --import tsx "$REPO_DIR/workers/order-worker.ts"
  wait_healthy order-worker 60 "$log" curl -fsS "http://127.0.0.1:$port/health"
  say "order-worker polling task queue orders (metrics http://127.0.0.1:$port/metrics)"
}

order_worker_stop() { stop_component order-worker 20; }
order_worker_components() { echo order-worker; }

relay_worker_install() { api_install; }

relay_worker_start() {
  local log="$LOGS/relay-worker.log" port="${DOOS_METRICS_RELAY_WORKER_PORT:-9465}"
  if running relay-worker; then say "relay-worker already running"; return 0; fi
  require_free_port relay-worker "$port" DOOS_METRICS_RELAY_WORKER_PORT
  spawn relay-worker "$log" node --import tsx "$REPO_DIR/workers/relay-worker.ts"
  wait_healthy relay-worker 60 "$log" curl -fsS "http://127.0.0.1:$port/health"
  say "relay-worker relaying every shard's outbox to Kafka (metrics http://127.0.0.1:$port/metrics)"
}

relay_worker_stop() { stop_component relay-worker 20; }
relay_worker_components() { echo relay-worker; }
