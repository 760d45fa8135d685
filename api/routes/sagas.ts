/**
 * Operator routes over order sagas (`doos saga`): list them — or only the stuck ones — show one with all that belongs
 * to it, retry what holds a stuck one, cancel one with compensation. Acts are audited (api/access.ts).
 */
import { STUCK_KINDS } from '../../lib/sagas/stuck-sagas';
import { ORDER_STATUSES } from '../../lib/orders/status';
import { route, signedIn, type RouteSpec } from '../route';
import { orderTraces } from '../responses';
import type { SagaService } from '../services/saga-service';
import { idString, instant, intParam, orderRefParams } from '../validation';
import { z } from '../zod';

const SAGA_PHASES = ['RESERVING', ...ORDER_STATUSES, 'REJECTED', 'COMPENSATION_FAILED'] as const;

const listQuery = z
  .object({
    stuck: z.enum(['true', 'false']).optional(),
    status: z.enum(SAGA_PHASES).optional(),
    userId: idString.optional(),
    since: instant.optional(),
    limit: intParam(1, 1000).default(100),
  })
  .strict();

const sagaSummary = z
  .object({
    orderId: z.string(),
    workflowId: z.string(),
    runId: z.string(),
    execution: z.string(),
    phase: z.string().nullable(),
    stuck: z.enum(STUCK_KINDS).nullable(),
    startedAt: z.string(),
    closedAt: z.string().nullable(),
    ageSeconds: z.number().int(),
    attempt: z.number().int().nullable(),
    lastError: z.string().nullable(),
    webUiUrl: z.string(),
  })
  .openapi('SagaSummary');

const sagaDetail = z
  .object({
    saga: sagaSummary.extend({
      pendingActivities: z.array(
        z.object({
          activityType: z.string(),
          attempt: z.number().int(),
          lastFailure: z.string().nullable(),
          state: z.string(),
        }),
      ),
      workflowTaskAttempt: z.number().int().nullable(),
      retryingActivity: z.string().nullable(),
    }),
    order: z.object({}).passthrough().nullable(),
    trace: orderTraces.shape.orders.element.nullable(),
    traceUrl: z
      .string()
      .nullable()
      .openapi({ description: "Zipkin's search for the traces of the request that placed the order" }),
  })
  .openapi('SagaDetail');

const sagaRepair = z.object({ orderId: z.string(), action: z.string() }).openapi('SagaRepair');
const cancelBody = z
  .object({ reason: z.string().min(1).max(500).regex(/\S/, 'say why') })
  .strict()
  .openapi('SagaCancel');
const retryBody = z.object({}).strict();

export function sagaRoutes(sagas: SagaService): RouteSpec[] {
  const actor = (caller: Parameters<typeof signedIn>[0]): string => {
    const who = signedIn(caller);
    return `${who.role}:${who.username}`;
  };
  return [
    route({
      method: 'get',
      path: '/v1/admin/sagas',
      tag: 'ops',
      summary: 'order sagas, newest first; stuck=true: only the stuck ones, with kind, attempt, last error',
      query: listQuery,
      responses: { 200: { description: 'sagas', schema: z.object({ items: z.array(sagaSummary) }) } },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async ({ query }) => ({
        body: {
          items: await sagas.list({
            limit: query.limit,
            stuck: query.stuck === 'true',
            ...(query.status ? { status: query.status } : {}),
            ...(query.userId ? { userId: query.userId } : {}),
            ...(query.since ? { since: new Date(query.since) } : {}),
          }),
        },
      }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/sagas/:orderRef',
      tag: 'ops',
      summary: "one saga: its state, pending work, whether it is stuck, the order row and the order's records",
      params: orderRefParams,
      responses: { 200: { description: 'the saga', schema: sagaDetail } },
      errors: ['ORDER_NOT_FOUND', 'SAGA_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params }) => ({ body: await sagas.show(params.orderRef) }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/sagas/:orderRef/retry',
      tag: 'ops',
      summary:
        'repair a stuck saga the way its situation needs (retry a parked compensation, reset a failing activity or workflow task, settle a closed saga’s order)',
      params: orderRefParams,
      body: retryBody,
      responses: { 200: { description: 'what was done', schema: sagaRepair } },
      errors: ['ORDER_NOT_FOUND', 'SAGA_NOT_FOUND', 'SAGA_NOT_STUCK', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params, caller }) => ({ body: await sagas.retry(params.orderRef, actor(caller)) }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/sagas/:orderRef/cancel',
      tag: 'ops',
      summary: 'cancel an unpaid order through its saga, with compensation (its stock is released); never a terminate',
      params: orderRefParams,
      body: cancelBody,
      responses: { 200: { description: 'what was done', schema: sagaRepair } },
      errors: [
        'ORDER_NOT_FOUND',
        'SAGA_NOT_FOUND',
        'ORDER_PAID',
        'ORDER_CANCELLED',
        'ORDER_STATE_CONFLICT',
        'SERVICE_UNAVAILABLE',
      ],
      handle: async ({ params, body, caller }) => ({
        body: await sagas.cancel(params.orderRef, actor(caller), body.reason),
      }),
    }),
  ];
}
