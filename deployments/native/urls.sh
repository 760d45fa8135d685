#!/usr/bin/env bash
# Prints where everything of the native stack answers (ports from stack.env or DOOS_* overrides).
set -euo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cat <<URLS

DOOS is up:
  API                 http://127.0.0.1:$DOOS_API_PORT   (/v1/openapi.json, /health, /ready, /metrics)
  Order worker        http://127.0.0.1:${DOOS_METRICS_ORDERS_WORKER_PORT:-9464}/metrics
  Relay worker        http://127.0.0.1:${DOOS_METRICS_RELAY_WORKER_PORT:-9465}/metrics
  CDC worker          http://127.0.0.1:${DOOS_METRICS_CDC_WORKER_PORT:-9466}/metrics
  Inventory consumer  http://127.0.0.1:${DOOS_METRICS_CONSUMER_PORT:-9467}/metrics
  Temporal Web UI     http://127.0.0.1:$DOOS_TEMPORAL_UI_PORT
  Temporal gRPC       127.0.0.1:$DOOS_TEMPORAL_PORT     (temporal CLI: deployments/native/temporal …)
  Prometheus          http://127.0.0.1:$DOOS_PROMETHEUS_PORT
  Alertmanager        http://127.0.0.1:$DOOS_ALERTMANAGER_PORT   (alerts delivered: bin/doos alerts)
  Zipkin (traces)     http://127.0.0.1:$DOOS_ZIPKIN_PORT/zipkin/
  Elasticsearch       http://127.0.0.1:$DOOS_ES_PORT
  Kafka               127.0.0.1:$DOOS_KAFKA_PORT
  MariaDB             shard 0 127.0.0.1:$DOOS_SHARD0_PORT, shard 1 127.0.0.1:$DOOS_SHARD1_PORT, inventory 127.0.0.1:$DOOS_INVENTORY_PORT (user doos / doos)
  Redis               127.0.0.1:$DOOS_REDIS_PORT
  etcd                http://127.0.0.1:$DOOS_ETCD_PORT
  State and memory:   make status      Stop: make down

Log in (dev accounts of config/dev.yaml auth.seedUsers):
  DOOS_PASSWORD=doos-admin-dev bin/doos login admin    # the shop's admin: prices, stock, shipping, roles
  DOOS_PASSWORD=doos-ops-dev bin/doos login ops        # an operator: outbox, CDC, reconciler, reads
  curl -s -XPOST http://127.0.0.1:$DOOS_API_PORT/v1/auth/login -H 'content-type: application/json' \
    -d '{"username":"admin","password":"doos-admin-dev"}'    # then: Authorization: Bearer <accessToken>
  Decoded workflow payloads in the Web UI: log this browser in as ops or admin at
    http://127.0.0.1:$DOOS_API_PORT/v1/admin/temporal-codec/login
  and tick "Include cross-origin credentials" in the Web UI's codec settings.
URLS
