# Temporal: the CLI's dev server (server + Web UI, SQLite file) with the saga's search attributes registered.

TEMPORAL_BIN="$DIST/temporal-$TEMPORAL_CLI_VERSION/temporal"

temporal_install() {
  [ -x "$TEMPORAL_BIN" ] && return 0
  command -v go >/dev/null || fail "temporal: Go is needed to build the temporal CLI and it is not on PATH"
  run_install "temporal CLI $TEMPORAL_CLI_VERSION (go install, ~3 min the first time)" "$LOGS/install-temporal.log" \
    env GOBIN="$DIST/temporal-$TEMPORAL_CLI_VERSION" GOFLAGS=-mod=mod \
    go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
}

temporal_health() {
  "$TEMPORAL_BIN" operator search-attribute list --address "127.0.0.1:$DOOS_TEMPORAL_PORT" --namespace default 2>/dev/null \
    | grep -q OrderStatus && curl -fsS -o /dev/null "http://127.0.0.1:$DOOS_TEMPORAL_UI_PORT/"
}

# Custom search attributes of DOOS workflows (lib/temporal/search-attributes.ts).
DOOS_SEARCH_ATTRIBUTES="OrderStatus=Keyword UserId=Keyword Shard=Int CorrelationId=Keyword RetryingActivity=Keyword RetryingAttempt=Int"

# The dev server registers --search-attribute only when it creates its database: one kept from an earlier version of
# this list gets the attributes it lacks here.
temporal_ensure_search_attributes() {
  local have
  have=$("$TEMPORAL_BIN" operator search-attribute list --address "127.0.0.1:$DOOS_TEMPORAL_PORT" --namespace default)
  for sa in $DOOS_SEARCH_ATTRIBUTES; do
    grep -qw "${sa%%=*}" <<<"$have" && continue
    "$TEMPORAL_BIN" operator search-attribute create --address "127.0.0.1:$DOOS_TEMPORAL_PORT" --namespace default \
      --name "${sa%%=*}" --type "${sa#*=}" </dev/null >/dev/null
    say "temporal: search attribute ${sa%%=*} added"
  done
}

temporal_start() {
  local log="$LOGS/temporal.log"
  if running temporal; then
    say "temporal already running on $DOOS_TEMPORAL_PORT"
    temporal_ensure_search_attributes
    return 0
  fi
  require_free_port temporal "$DOOS_TEMPORAL_PORT" DOOS_TEMPORAL_PORT
  require_free_port temporal-ui "$DOOS_TEMPORAL_UI_PORT" DOOS_TEMPORAL_UI_PORT
  require_free_port temporal-metrics "$DOOS_TEMPORAL_METRICS_PORT" DOOS_TEMPORAL_METRICS_PORT
  mkdir -p "$RUN/temporal"
  local sa_flags=()
  for sa in $DOOS_SEARCH_ATTRIBUTES; do sa_flags+=(--search-attribute "$sa"); done
  # One write partition per task queue: with the default four, a task queued while no worker polled waits in one
  # partition's backlog, and a worker's few long polls sitting on the other partitions may not reach it for a minute
  # (seen as a CDC tail or a saga idle for ~60 s after its worker restarted). One server host has no use for more.
  # Reads keep four, so tasks an older run left in the other partitions are still drained (their polls forward to
  # the root partition when empty).
  local partition_flags=(--dynamic-config-value matching.numTaskqueueWritePartitions=1
    --dynamic-config-value matching.numTaskqueueReadPartitions=4)
  # The CLI turns this on so that a new search attribute is seen at once; on, every search-attribute lookup reads the
  # cluster metadata and the namespace from SQLite — 13 reads per order, 11 % of the server's CPU per order
  # (docs/architecture.md "Performance"). Off, as a production server runs, the server reads them once a minute;
  # attributes added to a namespace (stack start, test namespaces) are still seen after its 10 s namespace refresh.
  local dynamic_flags=(--dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=false)
  spawn temporal "$log" "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$DOOS_TEMPORAL_PORT" \
    --ui-port "$DOOS_TEMPORAL_UI_PORT" --metrics-port "$DOOS_TEMPORAL_METRICS_PORT" \
    --ui-codec-endpoint "http://127.0.0.1:$DOOS_API_PORT/v1/admin/temporal-codec" \
    --db-filename "$RUN/temporal/temporal.db" --namespace default "${sa_flags[@]}" \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=off \
    "${partition_flags[@]}" "${dynamic_flags[@]}" --log-level warn
  wait_healthy temporal 90 "$log" temporal_health
  temporal_ensure_search_attributes
  say "temporal up on 127.0.0.1:$DOOS_TEMPORAL_PORT, Web UI http://127.0.0.1:$DOOS_TEMPORAL_UI_PORT"
}

temporal_stop() { stop_component temporal; }
temporal_components() { echo "temporal:$DOOS_TEMPORAL_PORT"; }
