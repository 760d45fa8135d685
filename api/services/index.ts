/** Builds the API's services from a process's clients. */
import type { PayloadCodec } from '@temporalio/common';
import type { Registry } from 'prom-client';
import { KeyRing } from '../../lib/privacy/key-ring';
import { EncryptionCodec } from '../../lib/privacy/payload-codec';
import { AccountStore } from '../../lib/accounts/account-store';
import { AuditLog } from '../../lib/accounts/audit-log';
import { AlertStore } from '../../lib/alerts/alert-store';
import { LoginThrottle } from '../../lib/auth/login-throttle';
import { LeasedIdGenerator, type WorkerIdSource } from '../../lib/ids/worker-id-lease';
import { ORDER_SHARD_BITS } from '../../lib/ids/order-id';
import { UserIdGenerator } from '../../lib/ids/user-id';
import { ShardHealth } from '../../lib/db/shard-health';
import { ShardRouter } from '../../lib/db/shard-router';
import { OrderReader } from '../../lib/orders/order-reader';
import { OrderFeed } from '../../lib/search/order-feed';
import { temporalSagaStates } from '../../lib/reconcile/saga-states';
import { RedisFastPath } from '../../lib/redis/fast-path';
import { personalDataOf } from '../../lib/privacy/personal-data';
import { PaymentStore } from '../../lib/payments/payment-store';
import { paymentProvider } from '../../lib/payments/providers';
import type { Log } from '../../lib/log/logger';
import type { Resources } from '../../lib/resources';
import { RequestLimits } from '../rate-limits';
import { AuthService } from './auth-service';
import { PaymentService } from './payment-service';
import { CatalogService } from './catalog-service';
import { CdcService } from './cdc-service';
import { OrderService } from './order-service';
import { OutboxService } from './outbox-service';
import { ReconcileService } from './reconcile-service';
import { SearchService, type OrderSearchItem } from './search-service';
import { SagaService } from './saga-service';
import { TraceService } from './trace-service';

export interface ApiServices {
  auth: AuthService;
  /** The workflow payload codec, for the codec endpoint (api/routes/temporal-codec.ts). */
  codec: PayloadCodec;
  limits: RequestLimits;
  audit: AuditLog;
  alerts: AlertStore;
  catalog: CatalogService;
  cdc: CdcService;
  orders: OrderService;
  payments: PaymentService;
  outbox: OutboxService;
  reconcile: ReconcileService;
  search: SearchService;
  /** The live stream's poller of the index (closed when the process stops, which ends every stream). */
  orderFeed: OrderFeed<OrderSearchItem>;
  traces: TraceService;
  sagas: SagaService;
}

/** The API's services; ids (orders, users) come from the Snowflake worker id the process holds. */
export function buildApiServices(
  resources: Resources,
  workerId: WorkerIdSource,
  registry: Registry,
  log: Log,
): ApiServices {
  const shards = new ShardRouter(resources.shards);
  // Two generators on one worker id: an order id may equal a user id, never another order id or user id.
  const orderIds = new LeasedIdGenerator(workerId, { tagBits: ORDER_SHARD_BITS });
  const userIds = new UserIdGenerator(workerId);
  const catalog = new CatalogService(resources.inventory);
  const fastPath = new RedisFastPath(resources.redis, registry);
  const orders = new OrderService({
    config: resources.config,
    temporal: resources.temporal,
    reader: new OrderReader(shards, fastPath, personalDataOf(resources.config)),
    catalog,
    redis: fastPath,
    ids: orderIds,
    shards,
    shardHealth: new ShardHealth(resources.sql.shards.map((db) => () => db.rows('SELECT 1'))).start(),
    registry,
  });
  const reconcile = new ReconcileService({
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
  });
  const search = new SearchService(
    resources.search,
    resources.config.elasticsearch.ordersIndex,
    resources.config.shop.timeZone,
  );
  const traces = new TraceService({
    orders,
    temporal: resources.temporal,
    shards: resources.sql.shards,
    inventory: resources.sql.inventory,
    search: { es: resources.search, index: resources.config.elasticsearch.ordersIndex },
  });
  return {
    auth: new AuthService(
      new AccountStore(resources.sql.accounts, resources.config.auth.refreshTokenSeconds),
      userIds,
      resources.config.auth,
      new LoginThrottle(resources.config.rateLimits.loginFailures, fastPath, registry),
      registry,
    ),
    codec: new EncryptionCodec(new KeyRing(resources.config.privacy)),
    limits: new RequestLimits(resources.config.rateLimits, fastPath, registry),
    audit: new AuditLog(resources.sql.accounts),
    alerts: new AlertStore(resources.sql.accounts),
    catalog,
    cdc: new CdcService(
      resources.shards,
      resources.temporal,
      resources.config.temporal.taskQueues,
      resources.config.order.sagaAnswerTimeoutSeconds * 1000,
    ),
    orders,
    payments: new PaymentService({
      config: resources.config,
      store: new PaymentStore(resources.sql.shards),
      provider: paymentProvider(resources.config),
      orders,
      registry,
      log,
    }),
    outbox: new OutboxService(resources.sql.shards),
    reconcile,
    search,
    orderFeed: new OrderFeed(search),
    traces,
    sagas: new SagaService({
      temporal: resources.temporal,
      config: resources.config,
      orders,
      traces,
      reconcile: () => reconcile.run(),
    }),
  };
}
