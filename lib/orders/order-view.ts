/** The JSON shape of an order for the API: camelCase, ids and amounts as strings, status by name. */
import type { Order, OrderItem } from '../../generated/shard/client';
import { formatCents } from './money';
import { statusFromCode, type OrderStatus } from './status';
import type { OrderCreated, OrderSagaInput } from '../../workflows/order-saga-definitions';
import type { ShippingAddress } from './types';

export interface OrderItemView {
  productId: string;
  skuId: string;
  productName: string;
  productImage: string;
  price: string;
  quantity: number;
  subtotal: string;
}

export interface OrderView {
  orderId: string;
  orderNo: string;
  userId: string;
  shard: number;
  status: OrderStatus;
  totalAmount: string;
  discountAmount: string;
  actualAmount: string;
  paymentMethod: string;
  /** The request id (X-Request-Id) of the request that placed it; null for orders placed before ids were kept. */
  correlationId: string | null;
  shippingAddress: ShippingAddress;
  remark: string;
  items: OrderItemView[];
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
  shippedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
}

const money = (d: { toFixed(n: number): string }): string => d.toFixed(2);
const time = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** An order's view without its shipping address: what may be read without the privacy keys (search, CDC). */
export type OrderFacts = Omit<OrderView, 'shippingAddress'>;

/** The facts of an order row; its shipping address (sealed: lib/privacy/personal-data.ts) is not read. */
export function toOrderFacts(row: Order & { items: OrderItem[] }, shard: number): OrderFacts {
  return {
    orderId: row.id.toString(),
    orderNo: row.orderNo,
    userId: row.userId.toString(),
    shard,
    status: statusFromCode(row.status),
    totalAmount: money(row.totalAmount),
    discountAmount: money(row.discountAmount),
    actualAmount: money(row.actualAmount),
    paymentMethod: row.paymentMethod,
    correlationId: row.correlationId,
    remark: row.remark,
    items: row.items
      .slice()
      .sort((a, b) => Number(a.id - b.id))
      .map((i) => ({
        productId: i.productId.toString(),
        skuId: i.skuId.toString(),
        productName: i.productName,
        productImage: i.productImage,
        price: money(i.price),
        quantity: i.quantity,
        subtotal: money(i.subtotal),
      })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    paidAt: time(row.paidAt),
    shippedAt: time(row.shippedAt),
    completedAt: time(row.completedAt),
    cancelledAt: time(row.cancelledAt),
  };
}

/** The view of an order its saga has just created, equal to what reading its row gives, without reading it. */
export function newOrderView(input: OrderSagaInput, created: OrderCreated): OrderView {
  const total = formatCents(created.items.reduce((sum, i) => sum + i.subtotalCents, 0));
  return {
    orderId: input.orderId,
    orderNo: input.orderNo,
    userId: input.userId,
    shard: input.shard,
    status: 'PENDING_PAYMENT',
    totalAmount: total,
    discountAmount: '0.00',
    actualAmount: total,
    paymentMethod: input.paymentMethod,
    correlationId: input.correlationId ?? null,
    shippingAddress: input.shippingAddress,
    remark: input.remark,
    items: created.items.map((i) => ({
      productId: i.productId,
      skuId: i.skuId,
      productName: i.productName,
      productImage: i.productImage,
      price: formatCents(i.priceCents),
      quantity: i.quantity,
      subtotal: formatCents(i.subtotalCents),
    })),
    createdAt: created.createdAt,
    updatedAt: created.createdAt,
    paidAt: null,
    shippedAt: null,
    completedAt: null,
    cancelledAt: null,
  };
}
