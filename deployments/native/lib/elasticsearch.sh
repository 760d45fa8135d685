# Elasticsearch 8 from its integ-test zip (Maven Central), on the machine's Java 17, as the system user doos-es
# because Elasticsearch refuses to run as root. That zip has no mapper-extras: use double, not scaled_float.

ES_HOME="$DIST/elasticsearch-$ES_VERSION"
ES_USER=doos-es

es_java_home() {
  local j
  for j in "${ES_JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] && { echo "$j"; return 0; }
  done
  return 1
}

elasticsearch_install() {
  [ -f "$ES_HOME/.installed" ] && return 0
  command -v mvn >/dev/null || fail "elasticsearch: Maven is needed to fetch Elasticsearch and it is not on PATH"
  ensure_apt elasticsearch "unzip curl runuser useradd" unzip curl util-linux passwd
  run_install "elasticsearch $ES_VERSION (Maven zip)" "$LOGS/install-elasticsearch.log" \
    mvn -B dependency:copy "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$DIST"
  rm -rf "$ES_HOME"
  unzip -q -o "$DIST/elasticsearch-$ES_VERSION.zip" -d "$DIST" || fail "elasticsearch: unzip of $DIST/elasticsearch-$ES_VERSION.zip failed"
  rm -f "$DIST/elasticsearch-$ES_VERSION.zip"
  touch "$ES_HOME/.installed"
}

elasticsearch_health() {
  curl -fsS "http://127.0.0.1:$DOOS_ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" | grep -q '"status"'
}

elasticsearch_start() {
  local dir="$RUN/elasticsearch" log="$LOGS/elasticsearch.log"
  if running elasticsearch; then say "elasticsearch already running on $DOOS_ES_PORT"; return 0; fi
  require_free_port elasticsearch "$DOOS_ES_PORT" DOOS_ES_PORT
  require_free_port elasticsearch-transport "$DOOS_ES_TRANSPORT_PORT" DOOS_ES_TRANSPORT_PORT
  local java_home; java_home=$(es_java_home) || fail "elasticsearch: no Java 17+ found (set ES_JAVA_HOME)"
  mkdir -p "$dir/data" "$dir/logs" "$dir/tmp"
  rm -rf "$dir/config" && cp -r "$ES_HOME/config" "$dir/config"
  cat >"$dir/config/elasticsearch.yml" <<YML
cluster.name: doos
node.name: doos-es
network.host: 127.0.0.1
http.port: $DOOS_ES_PORT
transport.port: $DOOS_ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
action.destructive_requires_name: false
cluster.routing.allocation.disk.threshold_enabled: false
path.data: $dir/data
path.logs: $dir/logs
YML
  local -a as_user=()
  if [ "$(id -u)" = 0 ]; then
    id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
    chown -R "$ES_USER" "$dir"
    chmod -R a+rX "$ES_HOME"
    chmod a+x "$DOOS_HOME" "$DIST" "$RUN"
    as_user=(runuser -u "$ES_USER" --)
  fi
  : >"$log"
  # -d returns once the node has started (or failed); its pid file names the server JVM, which stops cleanly on TERM.
  rm -f "$dir/es.pid"
  "${as_user[@]}" env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$dir/config" ES_TMPDIR="$dir/tmp" \
    ES_JAVA_OPTS="-Xms512m -Xmx512m" "$ES_HOME/bin/elasticsearch" -d -p "$dir/es.pid" >>"$log" 2>&1 \
    || { show_log_tail "$dir/logs/doos.log"; show_log_tail "$log"; fail "elasticsearch failed to start; logs: $log, $dir/logs/doos.log"; }
  [ -s "$dir/es.pid" ] || fail "elasticsearch started but wrote no pid file; log: $dir/logs/doos.log"
  record_pid elasticsearch "$(cat "$dir/es.pid")"
  wait_healthy elasticsearch 120 "$dir/logs/doos.log" elasticsearch_health
  say "elasticsearch up on 127.0.0.1:$DOOS_ES_PORT"
}

elasticsearch_stop() { stop_component elasticsearch 60; }
elasticsearch_components() { echo "elasticsearch:$DOOS_ES_PORT"; }
