/**
 * Applies a stock.deduct message to the inventory DB in one transaction: the consume log row (unique per message and
 * consumer group) makes a redelivered message a no-op, and each reserved item moves locked → sold
 * (locked -= q, total -= q) with its reservation marked confirmed, in the order path's lock order.
 */
import type { SqlPool } from '../db/sql-pool';
import { decodeEvent, EventFormatError } from '../events/order-events';
import { confirmReservation, inLockOrder, recordConsumed, sellLocked } from './stock-table';

/** A message that can never be applied (malformed, or naming stock that was not reserved): dead-letter it. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

export interface StockDeductItem {
  productId: string;
  skuId: string;
  quantity: number;
}

export interface StockDeductMessage {
  messageId: string;
  orderId: string;
  items: StockDeductItem[];
}

export type DeductionOutcome = 'applied' | 'duplicate';

/** Reads a Kafka record of doos.stock.deduct (its event schema); throws PoisonMessageError when it is not one. */
export function parseStockDeduct(messageId: string | undefined, value: Buffer | null): StockDeductMessage {
  if (!messageId || !/^[0-9a-f-]{36}$/i.test(messageId))
    throw new PoisonMessageError('missing or malformed message-id header');
  try {
    const event = decodeEvent('stock.deduct', value);
    return { messageId, orderId: event.orderId, items: event.items };
  } catch (err) {
    if (err instanceof EventFormatError) throw new PoisonMessageError(err.message);
    throw err;
  }
}

export async function applyStockDeduction(
  inventory: SqlPool,
  message: StockDeductMessage,
  consumerGroup: string,
  topic: string,
): Promise<DeductionOutcome> {
  return inventory.transaction(async (tx): Promise<DeductionOutcome> => {
    if (!(await recordConsumed(tx, message.messageId, consumerGroup, topic))) return 'duplicate';
    const orderId = BigInt(message.orderId);
    for (const item of inLockOrder(message.items)) {
      const line = { productId: BigInt(item.productId), skuId: BigInt(item.skuId), quantity: item.quantity };
      if (!(await confirmReservation(tx, orderId, line))) {
        throw new PoisonMessageError(
          `order ${message.orderId} holds no open reservation of ${item.quantity} x product ${item.productId} sku ${item.skuId}`,
        );
      }
      if (!(await sellLocked(tx, line))) {
        throw new PoisonMessageError(
          `inventory of product ${item.productId} sku ${item.skuId} holds less locked stock than reserved`,
        );
      }
    }
    return 'applied';
  });
}
