/** Request validation with zod: a failure is a 400 with code 10001 listing each bad field, before anything is read or written. */
import { z } from 'zod';
import { AppError } from '../lib/errors';
import { toCents } from '../lib/orders/money';
import { ORDER_STATUSES } from '../lib/orders/status';
import { MAX_RESULT_WINDOW, ORDER_SORTS } from '../lib/search/order-queries';

/** A positive decimal id that fits BIGINT UNSIGNED and our bigint code (≤ 2^63 − 1), given as a string. */
export const idString = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, 'expected a positive integer id as a decimal string')
  .refine((s) => !/^\d+$/.test(s) || BigInt(s) <= 9_223_372_036_854_775_807n, 'id too large');

/** Parses or throws AppError(INVALID_PARAMETER) with `details` = [{ path, message }]. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError(
    'INVALID_PARAMETER',
    `invalid ${what}`,
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

const pageNumber = z.coerce.number().int().min(1);

export const placeOrderBody = z
  .object({
    userId: idString,
    items: z
      .array(
        z
          .object({
            productId: idString,
            skuId: idString,
            quantity: z.number().int().min(1).max(999),
          })
          .strict(),
      )
      .min(1)
      .max(50),
    shippingAddress: z
      .object({
        name: z.string().min(1).max(64),
        phone: z.string().regex(/^[0-9+\- ]{5,20}$/, 'expected a phone number'),
        province: z.string().max(64).optional(),
        city: z.string().max(64).optional(),
        district: z.string().max(64).optional(),
        detail: z.string().min(1).max(255),
        postalCode: z.string().max(16).optional(),
      })
      .strict(),
    paymentMethod: z.enum(['alipay', 'wechat', 'credit_card']),
    remark: z.string().max(500).default(''),
  })
  .strict();
export type PlaceOrderBody = z.infer<typeof placeOrderBody>;

export const idempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Idempotency-Key must be 1–64 characters of letters, digits, _ . : -');

export const transitionBody = z
  .object({
    userId: idString,
    reason: z.string().max(200).optional(),
    paymentRef: z.string().max(64).optional(),
  })
  .strict();

export const userQuery = z.object({ userId: idString });

export const listOrdersQuery = z.object({
  userId: idString,
  status: z.enum(['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED']).optional(),
  page: pageNumber.default(1),
  pageSize: pageNumber.max(100).default(20),
});

export const skuParams = z.object({ productId: idString, skuId: idString });
export const productParams = z.object({ productId: idString });
export const orderParams = z.object({ orderId: idString });

export const upsertSkuBody = z
  .object({
    name: z.string().min(1).max(200),
    price: z
      .union([z.string(), z.number()])
      .refine((p) => /^\d{1,8}(\.\d{1,2})?$/.test(String(p)), 'expected a price like 12.50'),
    stock: z.number().int().min(0).max(100_000_000),
    image: z.string().max(500).optional(),
    description: z.string().max(2000).optional(),
  })
  .strict();

const money = z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'expected an amount like 12.50');
const instant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time, e.g. 2026-11-25T00:00:00Z' });

export const searchOrdersQuery = z
  .object({
    orderNo: z
      .string()
      .regex(/^\d{11,32}$/, 'expected an order number (digits)')
      .optional(),
    userId: idString.optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    from: instant.optional(),
    to: instant.optional(),
    minAmount: money.optional(),
    maxAmount: money.optional(),
    productId: idString.optional(),
    page: pageNumber.default(1),
    pageSize: pageNumber.max(100).default(20),
    sort: z.enum(ORDER_SORTS).default('-createdAt'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    path: ['from'],
    message: 'from must not be after to',
  })
  .refine((q) => !q.minAmount || !q.maxAmount || toCents(q.minAmount) <= toCents(q.maxAmount), {
    path: ['minAmount'],
    message: 'minAmount must not exceed maxAmount',
  })
  .refine((q) => q.page * q.pageSize <= MAX_RESULT_WINDOW, {
    path: ['page'],
    message: `page × pageSize may not exceed ${MAX_RESULT_WINDOW}; narrow the search instead`,
  });
