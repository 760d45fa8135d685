/** Order routes: place, read, list, the four transitions and the saga's history. */
import { Router } from 'express';
import type { OrderAction } from '../../lib/orders/status';
import type { OrderService } from '../services/order-service';
import {
  idempotencyKeyHeader,
  listOrdersQuery,
  orderParams,
  parseOrThrow,
  placeOrderBody,
  transitionBody,
  userQuery,
} from '../validation';

const ACTIONS: readonly OrderAction[] = ['pay', 'cancel', 'ship', 'complete'];

export function orderRoutes(orders: OrderService): Router {
  const router = Router();

  router.post('/v1/orders', async (req, res) => {
    const body = parseOrThrow(placeOrderBody, req.body, 'order');
    const rawKey = req.get('Idempotency-Key');
    const key = rawKey === undefined ? undefined : parseOrThrow(idempotencyKeyHeader, rawKey, 'Idempotency-Key header');
    const placed = await orders.place(body, key);
    res.status(placed.created ? 201 : 200).json(placed.order);
  });

  router.get('/v1/orders', async (req, res) => {
    const q = parseOrThrow(listOrdersQuery, req.query, 'query');
    res.json(
      await orders.list(BigInt(q.userId), {
        ...(q.status ? { status: q.status } : {}),
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  });

  router.get('/v1/orders/:orderId', async (req, res) => {
    const { orderId } = parseOrThrow(orderParams, req.params, 'path');
    const { userId } = parseOrThrow(userQuery, req.query, 'query');
    res.json(await orders.get(BigInt(orderId), BigInt(userId)));
  });

  router.get('/v1/orders/:orderId/saga', async (req, res) => {
    const { orderId } = parseOrThrow(orderParams, req.params, 'path');
    const { userId } = parseOrThrow(userQuery, req.query, 'query');
    res.json(await orders.saga(BigInt(orderId), BigInt(userId)));
  });

  for (const action of ACTIONS) {
    router.post(`/v1/orders/:orderId/${action}`, async (req, res) => {
      const { orderId } = parseOrThrow(orderParams, req.params, 'path');
      const body = parseOrThrow(transitionBody, req.body ?? {}, 'body');
      const order = await orders.transition(action, BigInt(orderId), BigInt(body.userId), {
        ...(body.reason ? { reason: body.reason } : {}),
        ...(body.paymentRef ? { paymentRef: body.paymentRef } : {}),
      });
      res.json(order);
    });
  }

  return router;
}
