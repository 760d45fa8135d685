/** Request validation with zod: a failure is a 400 with code 10001 listing each bad field, before anything is read or written. */
import { z } from './zod';
import { AppError } from '../lib/errors';
import { toCents } from '../lib/orders/money';
import { ORDER_STATUSES } from '../lib/orders/status';
import { MAX_RESULT_WINDOW, ORDER_SORTS } from '../lib/search/order-queries';

/**
 * A regular expression for the decimal integers from 1 to `max` (no leading zeros): shorter numbers, or as many
 * digits as `max` and not above it digit by digit. Exact, so the OpenAPI document states the bound itself.
 */
function decimalUpTo(max: bigint): RegExp {
  const digits = max.toString();
  const alternatives = [`[1-9]\\d{0,${digits.length - 2}}`];
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    const low = i === 0 ? 1 : 0;
    if (d > low) alternatives.push(`${digits.slice(0, i)}[${low}-${d - 1}]\\d{${digits.length - i - 1}}`);
  }
  alternatives.push(digits);
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** A positive decimal id that fits BIGINT UNSIGNED and our bigint code (≤ 2^63 − 1), given as a string. */
export const idString = z
  .string()
  .regex(
    decimalUpTo(9_223_372_036_854_775_807n),
    'expected a positive integer id (at most 2^63 − 1) as a decimal string',
  );

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

/**
 * A whole number in a path or query string, from `min` to `max`: digits only (no sign, blank, exponent or fraction
 * that a number coercion would let through), documented as the integer range it is.
 */
export function intParam(min: number, max: number) {
  return z
    .string()
    .regex(/^(0|[1-9]\d{0,15})$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .openapi({ type: 'integer', minimum: min, maximum: max });
}

const pageNumber = intParam(1, 10_000);
const pageSize = intParam(1, 100);

/** A shard number in a query or path: 0 to the configured count − 1. */
export function shardNumber(shards: number) {
  return intParam(0, shards - 1);
}

export const placeOrderBody = z
  .object({
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
  .strict()
  .openapi('PlaceOrder', {
    example: {
      items: [{ productId: '1', skuId: '101', quantity: 2 }],
      shippingAddress: { name: 'Li Lei', phone: '13800000000', detail: '1 West Lake Road' },
      paymentMethod: 'alipay',
      remark: '',
    },
  });
export type PlaceOrderBody = z.infer<typeof placeOrderBody>;

export const idempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Idempotency-Key must be 1–64 characters of letters, digits, _ . : -');

export const transitionBody = z
  .object({ reason: z.string().max(200).optional() })
  .strict()
  .openapi('TransitionRequest');

export const payBody = z
  .object({
    sandbox: z
      .object({
        outcome: z.enum(['approve', 'decline', 'none']).default('approve'),
        delaySeconds: z.number().int().min(0).max(300).default(0),
      })
      .strict()
      .optional()
      .openapi({
        description:
          'sandbox provider only (400 with another): approve (the default), decline, or never answer, after a delay',
      }),
  })
  .strict()
  .openapi('PayRequest');

/** A provider's callback: the fields DOOS reads (a provider may send more; they are ignored, but signed). */
export const paymentCallbackBody = z
  .object({
    paymentId: z.uuid(),
    orderId: idString,
    providerTxnId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected the provider transaction id'),
    amount: z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'expected an amount like 12.50'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
    status: z.enum(['APPROVED', 'DECLINED']),
  })
  .openapi('PaymentCallback');

export const listOrdersQuery = z.object({
  status: z.enum(['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED']).optional(),
  page: pageNumber.default(1),
  pageSize: pageSize.default(20),
});

export const skuParams = z.object({ productId: idString, skuId: idString });
export const productParams = z.object({ productId: idString });
/** The catalog's search: a product or SKU name containing `q` (any case, no wildcards), newest first, paged. */
export const productsQuery = z
  .object({
    q: z.string().max(100).optional(),
    page: pageNumber.default(1),
    pageSize: pageSize.default(24),
  })
  .strict();
export const orderParams = z.object({ orderId: idString });
/** An order by its id or its order number (lib/ids/order-id.ts: either names its shard). */
export const orderRefParams = z.object({
  orderRef: z
    .string()
    .regex(/^[1-9]\d{0,28}$/, 'expected an order id or an order number (digits)')
    .openapi({ description: 'order id (up to 19 digits), or order number (day + shard + id: 20 digits or more)' }),
});

const username = z
  .string()
  .regex(/^[a-z0-9_.-]{3,32}$/, 'expected 3–32 characters: lower-case letters, digits, _ . -')
  .openapi({ example: 'li.lei' });

export const registerBody = z
  .object({
    username,
    password: z
      .string()
      .min(10, 'a password needs at least 10 characters')
      .max(128)
      .refine((p) => p.trim().length >= 10, 'a password needs at least 10 characters that are not blank'),
  })
  .strict()
  .openapi('Register', { example: { username: 'li.lei', password: 'correct horse battery' } });

export const loginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) })
  .strict()
  .openapi('Login', { example: { username: 'li.lei', password: 'correct horse battery' } });

export const refreshBody = z
  .object({ refreshToken: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'expected a refresh token') })
  .strict()
  .openapi('Refresh');

export const userParams = z.object({ userId: idString });
export const roleBody = z
  .object({ role: z.enum(['user', 'admin', 'ops']) })
  .strict()
  .openapi('RoleChange');

export const auditQuery = z
  .object({
    actorId: idString.optional(),
    action: z.string().max(128).optional(),
    page: pageNumber.default(1),
    pageSize: pageSize.default(50),
  })
  .strict();

export const upsertSkuBody = z
  .object({
    name: z.string().min(1).max(200),
    price: z.union([
      z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'expected a price like 12.50'),
      // As a number: whole cents (compared with a tolerance, as 0.07 is not exact in binary).
      z
        .number()
        .min(0)
        .max(99_999_999.99)
        .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, 'expected a price in whole cents')
        .openapi({ multipleOf: 0.01 }),
    ]),
    stock: z.number().int().min(0).max(100_000_000),
    image: z.string().max(500).optional(),
    description: z.string().max(2000).optional(),
  })
  .strict()
  .openapi('UpsertSku');

const MONEY = /^\d{1,8}(\.\d{1,2})?$/;
const money = z.string().regex(MONEY, 'expected an amount like 12.50');
/** Cents of a valid amount; undefined for an absent or invalid one (its own issue is reported by its field). */
const centsOf = (amount: string | undefined): number | undefined =>
  amount !== undefined && MONEY.test(amount) ? toCents(amount) : undefined;
const timeOf = (instant: string | undefined): number | undefined =>
  instant === undefined ? undefined : Date.parse(instant);
/** Whether two bounds are in order; a bound that is absent or invalid (reported on its own) does not count. */
const ordered = (low: number | undefined, high: number | undefined): boolean =>
  low === undefined || high === undefined || Number.isNaN(low) || Number.isNaN(high) || low <= high;
export const instant = z.iso.datetime({
  offset: true,
  message: 'expected an ISO 8601 date-time, e.g. 2026-11-25T00:00:00Z',
});

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
    pageSize: pageSize.default(20),
    sort: z.enum(ORDER_SORTS).default('-createdAt'),
  })
  .strict()
  .refine((q) => ordered(timeOf(q.from), timeOf(q.to)), {
    path: ['from'],
    message: 'from must not be after to',
  })
  .refine((q) => ordered(centsOf(q.minAmount), centsOf(q.maxAmount)), {
    path: ['minAmount'],
    message: 'minAmount must not exceed maxAmount',
  })
  .refine((q) => !(q.page * q.pageSize > MAX_RESULT_WINDOW), {
    path: ['page'],
    message: `page × pageSize may not exceed ${MAX_RESULT_WINDOW}; narrow the search instead`,
  });

/** Payloads of the Temporal codec-server protocol: metadata values and data in base64. */
export const codecPayloadsBody = z
  .object({
    payloads: z
      .array(
        z.object({
          metadata: z.record(z.string().max(256), z.string().max(4096)).optional(),
          data: z.string().max(3_000_000).optional(),
        }),
      )
      .max(1000)
      .optional(),
  })
  .openapi('CodecPayloads');
