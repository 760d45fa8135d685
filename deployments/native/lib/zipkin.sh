# Zipkin: the trace backend every DOOS process exports its OpenTelemetry spans to, with its UI at /zipkin/. The
# server's executable jar from Maven Central, run on the machine's Java 17 with in-memory storage (traces of the last
# ZIPKIN_MAX_SPANS spans; a restart empties it — this is a developer's and an on-call's window, not an archive).

ZIPKIN_HOME="$DIST/zipkin-$ZIPKIN_VERSION"

zipkin_install() {
  [ -f "$ZIPKIN_HOME/.installed" ] && return 0
  command -v mvn >/dev/null || fail "zipkin: Maven is needed to fetch Zipkin and it is not on PATH"
  mkdir -p "$ZIPKIN_HOME"
  run_install "zipkin $ZIPKIN_VERSION (Maven)" "$LOGS/install-zipkin.log" \
    mvn -B -q dependency:copy -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" \
      -DoutputDirectory="$ZIPKIN_HOME" -Dmdep.stripVersion=true
  [ -f "$ZIPKIN_HOME/zipkin-server-exec.jar" ] || fail "zipkin: the jar is not where Maven was told to put it"
  touch "$ZIPKIN_HOME/.installed"
}

zipkin_start() {
  local log="$LOGS/zipkin.log"
  if running zipkin; then say "zipkin already running on $DOOS_ZIPKIN_PORT"; return 0; fi
  require_free_port zipkin "$DOOS_ZIPKIN_PORT" DOOS_ZIPKIN_PORT
  command -v java >/dev/null || fail "zipkin: Java 17 is needed and not on PATH"
  spawn zipkin "$log" java -Xms128m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
    -jar "$ZIPKIN_HOME/zipkin-server-exec.jar" --server.address=127.0.0.1 --server.port="$DOOS_ZIPKIN_PORT" \
    --zipkin.storage.mem.max-spans="$ZIPKIN_MAX_SPANS" --logging.level.root=WARN
  wait_healthy zipkin 120 "$log" curl -fsS "http://127.0.0.1:$DOOS_ZIPKIN_PORT/health"
  say "zipkin up on 127.0.0.1:$DOOS_ZIPKIN_PORT, UI http://127.0.0.1:$DOOS_ZIPKIN_PORT/zipkin/"
}

zipkin_stop() { stop_component zipkin; }
zipkin_components() { echo "zipkin:$DOOS_ZIPKIN_PORT"; }
