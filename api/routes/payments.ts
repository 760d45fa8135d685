/**
 * Payments: the buyer starts one for their pending order (the order is paid when the provider's signed callback
 * approves it: api/services/payment-service.ts), lists an order's payments; the shop's staff list any order's; the
 * provider calls back.
 */
import { SIGNATURE_HEADER } from '../../lib/payments/signature';
import { clientAddress } from '../client-address';
import { rawBodyOf } from '../raw-body';
import { callbackAnswer, paymentList, startedPayment } from '../responses';
import { route, signedIn, type RouteSpec } from '../route';
import type { PaymentService } from '../services/payment-service';
import { orderParams, orderRefParams, payBody, paymentCallbackBody } from '../validation';

export function paymentRoutes(payments: PaymentService): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/v1/orders/:orderId/pay',
      tag: 'payments',
      summary: 'start paying a pending order; it becomes PAID when the payment provider confirms (poll the order)',
      description:
        'Answers 202 with the payment (PENDING) and, with a real provider, the page where the buyer pays. The ' +
        'order is PAID once the provider\u2019s signed callback approves the payment; a declined payment leaves it ' +
        'payable. Every call starts a new payment.',
      params: orderParams,
      body: payBody,
      responses: { 202: { description: 'payment started', schema: startedPayment } },
      errors: ['ORDER_NOT_FOUND', 'ORDER_PAID', 'ORDER_CANCELLED', 'ORDER_STATE_CONFLICT', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params, body, caller }) => ({
        status: 202,
        body: await payments.start(BigInt(params.orderId), signedIn(caller).userId, body.sandbox),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/orders/:orderId/payments',
      tag: 'payments',
      summary: "the payments of the caller's order, oldest first",
      params: orderParams,
      responses: { 200: { description: 'payments', schema: paymentList } },
      errors: ['ORDER_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params, caller }) => ({
        body: { items: await payments.ofOwnOrder(BigInt(params.orderId), signedIn(caller).userId) },
      }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/orders/:orderRef/payments',
      tag: 'admin',
      summary: 'the payments of any order (REFUND_DUE: money taken for an order already paid or cancelled)',
      params: orderRefParams,
      responses: { 200: { description: 'payments', schema: paymentList } },
      errors: ['ORDER_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params }) => ({ body: { items: await payments.ofOrder(params.orderRef) } }),
    }),
    route({
      method: 'post',
      path: '/v1/payments/callback',
      tag: 'payments',
      summary: "the payment provider's signed outcome of a payment",
      description:
        'Signed by the provider: header `Doos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` ' +
        'with payments.callbackSecret, within payments.toleranceSeconds. Applied once per providerTxnId; a copy ' +
        'answers 200 with outcome `duplicate` and changes nothing.',
      body: paymentCallbackBody,
      responses: { 200: { description: 'applied, or already applied', schema: callbackAnswer } },
      errors: ['PAYMENT_SIGNATURE_INVALID', 'PAYMENT_NOT_FOUND', 'PAYMENT_MISMATCH', 'SERVICE_UNAVAILABLE'],
      handle: async ({ body, requestId }, req) => {
        const signature = req.headers[SIGNATURE_HEADER];
        return {
          body: await payments.callback(
            rawBodyOf(req),
            typeof signature === 'string' ? signature : undefined,
            body,
            clientAddress(req),
            requestId,
          ),
        };
      },
    }),
  ];
}
