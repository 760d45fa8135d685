/** `doos trace`: the path of an order, or of the orders of one request, through every process of DOOS. */
import { route, type RouteSpec } from '../route';
import { orderTraces } from '../responses';
import { REQUEST_ID } from '../security';
import type { TraceService } from '../services/trace-service';
import { z } from '../zod';

const traceParams = z.object({
  ref: z
    .string()
    .regex(REQUEST_ID, 'expected an order id, an order number or a request id (X-Request-Id)')
    .openapi({ description: 'order id, order number, or the correlation id (X-Request-Id) of a request' }),
});

export function traceRoutes(traces: TraceService): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/admin/trace/:ref',
      tag: 'ops',
      summary:
        'the timed path of an order (or of the orders a request touched): API, saga, outbox, Kafka, consumer, index',
      params: traceParams,
      responses: { 200: { description: 'one trace per order', schema: orderTraces } },
      errors: ['ORDER_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params }) => ({ body: { orders: await traces.trace(params.ref) } }),
    }),
  ];
}
