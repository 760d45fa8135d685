# Redis: duplicate-submit guards, rate limits and caches. Nothing is persisted.

redis_install() { ensure_apt redis "redis-server redis-cli" redis-server redis-tools; }

redis_start() {
  local log="$LOGS/redis.log"
  if running redis; then say "redis already running on $DOOS_REDIS_PORT"; return 0; fi
  require_free_port redis "$DOOS_REDIS_PORT" DOOS_REDIS_PORT
  mkdir -p "$RUN/redis"
  spawn redis "$log" redis-server --port "$DOOS_REDIS_PORT" --bind 127.0.0.1 --daemonize no \
    --save '' --appendonly no --dir "$RUN/redis"
  wait_healthy redis 20 "$log" redis-cli -p "$DOOS_REDIS_PORT" ping
  say "redis up on 127.0.0.1:$DOOS_REDIS_PORT"
}

redis_stop() { stop_component redis; }
redis_components() { echo "redis:$DOOS_REDIS_PORT"; }
