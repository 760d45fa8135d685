/** Builds the API's services from a process's clients. */
import type { Registry } from 'prom-client';
import { ShardRouter } from '../../lib/db/shard-router';
import { OrderReader } from '../../lib/orders/order-reader';
import { RedisFastPath } from '../../lib/redis/fast-path';
import type { Resources } from '../../lib/resources';
import { CatalogService } from './catalog-service';
import { CdcService } from './cdc-service';
import { OrderService } from './order-service';
import { OutboxService } from './outbox-service';
import { SearchService } from './search-service';

export interface ApiServices {
  catalog: CatalogService;
  cdc: CdcService;
  orders: OrderService;
  outbox: OutboxService;
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
    search: new SearchService(resources.search, resources.config.elasticsearch.ordersIndex),
  };
}
