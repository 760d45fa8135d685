# Kafka: one KRaft node (broker + controller) from Maven Central jars, run on the machine's Java 17.

KAFKA_HOME="$DIST/kafka-$KAFKA_VERSION"

kafka_install() {
  [ -f "$KAFKA_HOME/.installed" ] && return 0
  command -v mvn >/dev/null || fail "kafka: Maven is needed to fetch Kafka and it is not on PATH"
  mkdir -p "$KAFKA_HOME"
  cat >"$KAFKA_HOME/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>doos.local</groupId><artifactId>kafka-dist</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$KAFKA_SCALA</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$SLF4J_RELOAD4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  run_install "kafka $KAFKA_VERSION (Maven)" "$LOGS/install-kafka.log" \
    mvn -B -f "$KAFKA_HOME/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$KAFKA_HOME/libs"
  touch "$KAFKA_HOME/.installed"
}

kafka_write_config() {
  local dir="$RUN/kafka"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$DOOS_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$DOOS_KAFKA_PORT,CONTROLLER://127.0.0.1:$DOOS_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$DOOS_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=48
PROPS
  cat >"$dir/log4j.properties" <<PROPS
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS
}

kafka_health() { grep -q "Kafka Server started" "$LOGS/kafka.log" && port_open "$DOOS_KAFKA_PORT"; }

kafka_start() {
  local dir="$RUN/kafka" log="$LOGS/kafka.log"
  if running kafka; then say "kafka already running on $DOOS_KAFKA_PORT"; return 0; fi
  require_free_port kafka "$DOOS_KAFKA_PORT" DOOS_KAFKA_PORT
  require_free_port kafka-controller "$DOOS_KAFKA_CONTROLLER_PORT" DOOS_KAFKA_CONTROLLER_PORT
  mkdir -p "$dir"
  kafka_write_config
  local java_opts=(-Xms256m -Xmx512m -XX:+UseG1GC "-Dlog4j.configuration=file:$dir/log4j.properties"
    -cp "$KAFKA_HOME/libs/*")
  if [ ! -f "$dir/data/meta.properties" ]; then
    java "${java_opts[@]}" kafka.tools.StorageTool random-uuid >"$dir/cluster.id" 2>"$LOGS/kafka-format.log" \
      || fail "kafka: could not make a cluster id; log: $LOGS/kafka-format.log"
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$(tail -n 1 "$dir/cluster.id")" \
      -c "$dir/server.properties" >"$LOGS/kafka-format.log" 2>&1 \
      || { show_log_tail "$LOGS/kafka-format.log"; fail "kafka: formatting the KRaft log dir failed; log: $LOGS/kafka-format.log"; }
  fi
  : >"$log"
  spawn kafka "$log" java "${java_opts[@]}" kafka.Kafka "$dir/server.properties"
  wait_healthy kafka 90 "$log" kafka_health
  say "kafka up on 127.0.0.1:$DOOS_KAFKA_PORT"
}

kafka_stop() { stop_component kafka 40; }
kafka_components() { echo "kafka:$DOOS_KAFKA_PORT"; }
