/**
 * The shop's routes on any order, by order id or order number and without a user id (either names the order's
 * shard, lib/ids/order-id.ts): read it, its saga, ship it, cancel it while unpaid. Acts are audited (api/access.ts).
 */
import { route, signedIn, type RouteSpec } from '../route';
import { order, sagaStatus } from '../responses';
import type { OrderService } from '../services/order-service';
import { orderRefParams, transitionBody } from '../validation';

const staffActBody = transitionBody.pick({ reason: true }).strict().openapi('StaffOrderAct');

export function adminOrderRoutes(orders: OrderService): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/admin/orders/:orderRef',
      tag: 'admin',
      summary: 'any order, by order id or order number',
      params: orderRefParams,
      responses: { 200: { description: 'order', schema: order } },
      errors: ['ORDER_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params }) => ({ body: await orders.findByRef(params.orderRef) }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/orders/:orderRef/saga',
      tag: 'admin',
      summary: "any order's saga: phase and step history",
      params: orderRefParams,
      responses: { 200: { description: 'saga state', schema: sagaStatus } },
      errors: ['ORDER_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params }) => ({ body: await orders.staffSaga(params.orderRef) }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/orders/:orderRef/ship',
      tag: 'admin',
      summary: 'ship a paid order (the shop’s act; the buyer then confirms receipt)',
      params: orderRefParams,
      body: staffActBody,
      responses: { 200: { description: 'the updated order', schema: order } },
      errors: ['ORDER_NOT_FOUND', 'ORDER_CANCELLED', 'ORDER_STATE_CONFLICT', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params, body, caller, requestId }) => ({
        body: await orders.staffTransition('ship', params.orderRef, signedIn(caller), {
          ...body,
          correlationId: requestId,
        }),
      }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/orders/:orderRef/cancel',
      tag: 'admin',
      summary: 'cancel an unpaid order for the buyer; its stock is released',
      params: orderRefParams,
      body: staffActBody,
      responses: { 200: { description: 'the updated order', schema: order } },
      errors: ['ORDER_NOT_FOUND', 'ORDER_PAID', 'ORDER_CANCELLED', 'ORDER_STATE_CONFLICT', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params, body, caller, requestId }) => ({
        body: await orders.staffTransition('cancel', params.orderRef, signedIn(caller), {
          ...body,
          correlationId: requestId,
        }),
      }),
    }),
  ];
}
