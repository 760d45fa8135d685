/**
 * A buyer's order routes: place, read, list, cancel, confirm receipt, and the saga's history — always of the
 * caller's own orders (the user comes from the token; another user's order is 404, its existence not leaked).
 * The shop's acts on any order are in admin-orders.ts.
 */
import type { ErrorKind } from '../../lib/errors';
import type { OrderAction } from '../../lib/orders/status';
import { route, signedIn, type RouteSpec } from '../route';
import { order, orderPage, sagaStatus } from '../responses';
import type { OrderService } from '../services/order-service';
import { z } from '../zod';
import { idempotencyKeyHeader, listOrdersQuery, orderParams, placeOrderBody, transitionBody } from '../validation';

/** The buyer's own transitions; paying is through the payment provider (payments.ts). */
type BuyerAction = Extract<OrderAction, 'cancel' | 'complete'>;

/** Each of the buyer's transitions: what it does, and the refusals it may answer with. */
const TRANSITIONS: Record<BuyerAction, { summary: string; refusals: ErrorKind[] }> = {
  cancel: {
    summary: 'cancel a pending order; its stock is released',
    refusals: ['ORDER_PAID', 'ORDER_CANCELLED', 'ORDER_STATE_CONFLICT'],
  },
  complete: {
    summary:
      'confirm receipt of a shipped order (the saga confirms it by itself after order.autoConfirmReceiptSeconds)',
    refusals: ['ORDER_CANCELLED', 'ORDER_STATE_CONFLICT'],
  },
};

const placeHeaders = z.object({
  'idempotency-key': idempotencyKeyHeader
    .optional()
    .openapi({ description: 'the same key from the same user returns the same order and reserves nothing twice' }),
});

export function orderRoutes(orders: OrderService): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/v1/orders',
      tag: 'orders',
      summary: 'place an order; answered once it is persisted (stock reserved, row and outbox written)',
      headers: placeHeaders,
      body: placeOrderBody,
      responses: {
        201: { description: 'created', schema: order },
        200: { description: 'the order an earlier request with this Idempotency-Key created', schema: order },
      },
      errors: [
        'STOCK_INSUFFICIENT',
        'DUPLICATE_SUBMIT',
        'IDEMPOTENCY_KEY_REUSED',
        'ORDER_NOT_CREATED',
        'SERVICE_UNAVAILABLE',
      ],
      handle: async ({ headers, body, caller, requestId }) => {
        const placed = await orders.place(signedIn(caller).userId, body, headers['idempotency-key'], requestId);
        return { status: placed.created ? 201 : 200, body: placed.order };
      },
    }),
    route({
      method: 'get',
      path: '/v1/orders',
      tag: 'orders',
      summary: "the caller's orders, newest first",
      query: listOrdersQuery,
      responses: { 200: { description: 'one page', schema: orderPage } },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async ({ query, caller }) => ({
        body: await orders.list(signedIn(caller).userId, {
          ...(query.status ? { status: query.status } : {}),
          page: query.page,
          pageSize: query.pageSize,
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/orders/:orderId',
      tag: 'orders',
      summary: 'an order of the caller',
      params: orderParams,
      responses: { 200: { description: 'order', schema: order } },
      errors: ['ORDER_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params, caller }) => ({
        body: await orders.get(BigInt(params.orderId), signedIn(caller).userId),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/orders/:orderId/saga',
      tag: 'orders',
      summary: "the order saga's phase and step history",
      params: orderParams,
      responses: { 200: { description: 'saga state', schema: sagaStatus } },
      errors: ['ORDER_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params, caller }) => ({
        body: await orders.saga(BigInt(params.orderId), signedIn(caller).userId),
      }),
    }),
    ...Object.entries(TRANSITIONS).map(([action, { summary, refusals }]) =>
      route({
        method: 'post',
        path: `/v1/orders/:orderId/${action}`,
        tag: 'orders',
        summary,
        params: orderParams,
        body: transitionBody,
        responses: { 200: { description: 'the updated order', schema: order } },
        errors: ['ORDER_NOT_FOUND', ...refusals, 'SERVICE_UNAVAILABLE'],
        handle: async ({ params, body, caller, requestId }) => ({
          body: await orders.transition(action as BuyerAction, BigInt(params.orderId), signedIn(caller).userId, {
            ...(body.reason ? { reason: body.reason } : {}),
            correlationId: requestId,
          }),
        }),
      }),
    ),
  ];
}
