/**
 * Applies a stock.deduct message to the inventory DB in one transaction: the consume log row (unique per message and
 * consumer group) makes a redelivered message a no-op, and each reserved item moves locked → sold
 * (locked -= q, total -= q) with its reservation marked confirmed.
 */
import type { InventoryPrismaClient } from '../db/prisma';
import { decodeEvent, EventFormatError } from '../events/order-events';
import { ReservationStatus } from './reservation-status';

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
  inventory: InventoryPrismaClient,
  message: StockDeductMessage,
  consumerGroup: string,
  topic: string,
): Promise<DeductionOutcome> {
  return inventory.$transaction(async (tx): Promise<DeductionOutcome> => {
    const logged = await tx.$executeRaw`
      INSERT INTO t_message_consume_log (message_id, consumer_group, topic)
      VALUES (${message.messageId}, ${consumerGroup}, ${topic})
      ON DUPLICATE KEY UPDATE id = id`;
    if (logged === 0) return 'duplicate';
    const orderId = BigInt(message.orderId);
    for (const item of message.items) {
      const productId = BigInt(item.productId);
      const skuId = BigInt(item.skuId);
      const confirmed = await tx.$executeRaw`
        UPDATE t_stock_reservation SET status = ${ReservationStatus.CONFIRMED}
        WHERE order_id = ${orderId} AND product_id = ${productId} AND sku_id = ${skuId}
          AND quantity = ${item.quantity} AND status = ${ReservationStatus.RESERVED}`;
      if (confirmed !== 1) {
        throw new PoisonMessageError(
          `order ${message.orderId} holds no open reservation of ${item.quantity} x product ${item.productId} sku ${item.skuId}`,
        );
      }
      const sold = await tx.$executeRaw`
        UPDATE t_inventory
        SET locked_stock = locked_stock - ${item.quantity}, total_stock = total_stock - ${item.quantity},
            version = version + 1
        WHERE product_id = ${productId} AND sku_id = ${skuId} AND locked_stock >= ${item.quantity}`;
      if (sold !== 1) {
        throw new PoisonMessageError(
          `inventory of product ${item.productId} sku ${item.skuId} holds less locked stock than reserved`,
        );
      }
    }
    return 'applied';
  });
}
