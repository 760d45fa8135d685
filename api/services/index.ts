/** Builds the API's services from a process's clients. */
import type { Registry } from 'prom-client';
import { ShardHealth } from '../../lib/db/shard-health';
import { ShardRouter } from '../../lib/db/shard-router';
import { OrderReader } from '../../lib/orders/order-reader';
import { temporalSagaStates } from '../../lib/reconcile/saga-states';
import { RedisFastPath } from '../../lib/redis/fast-path';
import type { Resources } from '../../lib/resources';
import { CatalogService } from './catalog-service';
import { CdcService } from './cdc-service';
import { OrderService } from './order-service';
import { OutboxService } from './outbox-service';
import { ReconcileService } from './reconcile-service';
import { SearchService } from './search-service';

export interface ApiServices {
  catalog: CatalogService;
  cdc: CdcService;
  orders: OrderService;
  outbox: OutboxService;
  reconcile: ReconcileService;
  search: SearchService;
}

export function buildApiServices(resources: Resources, ids: { next(): bigint }, registry: Registry): ApiServices {
  const shards = new ShardRouter(resources.shards);
  const catalog = new CatalogService(resources.inventory);
  const fastPath = new RedisFastPath(resources.redis, registry);
  const orders = new OrderService({
    config: resources.config,
    temporal: resources.temporal,
    reader: new OrderReader(shards, fastPath),
    catalog,
    redis: fastPath,
    ids,
    shards,
    shardHealth: new ShardHealth(resources.sql.shards.map((db) => () => db.rows('SELECT 1'))).start(),
    registry,
  });
  return {
    catalog,
    cdc: new CdcService(
      resources.shards,
      resources.temporal,
      resources.config.temporal.taskQueues,
      resources.config.order.sagaAnswerTimeoutSeconds * 1000,
    ),
    orders,
    outbox: new OutboxService(resources.sql.shards),
    reconcile: new ReconcileService({
      find: {
        shards: resources.sql.shards,
        inventory: resources.sql.inventory,
        sagas: temporalSagaStates(resources.temporal),
        search: { es: resources.search, index: resources.config.elasticsearch.ordersIndex },
        settings: {
          ...resources.config.reconcile,
          paymentTimeoutSeconds: resources.config.order.paymentTimeoutSeconds,
        },
      },
      inventory: resources.sql.inventory,
      temporal: resources.temporal,
      taskQueues: resources.config.temporal.taskQueues,
    }),
    search: new SearchService(resources.search, resources.config.elasticsearch.ordersIndex),
  };
}
