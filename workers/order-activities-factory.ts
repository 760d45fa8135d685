/** Builds every activity the order worker registers, from the process's clients. */
import type { Registry } from 'prom-client';
import { createInventoryActivities } from '../activities/inventory-activities';
import { createOrderActivities } from '../activities/order-activities';
import { createSagaActivities } from '../activities/saga-activities';
import { ShardRouter } from '../lib/db/shard-router';
import type { Resources } from '../lib/resources';

export function createOrderWorkerActivities(resources: Resources, registry: Registry) {
  return {
    ...createInventoryActivities({ inventory: resources.sql.inventory }),
    ...createOrderActivities({
      shards: new ShardRouter(resources.sql.shards),
      redis: resources.redis,
      topics: resources.config.kafka.topics,
    }),
    ...createSagaActivities({ registry }),
  };
}
