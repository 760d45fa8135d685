/**
 * Stock activities of the order saga, on the inventory DB. Each is idempotent per order through t_stock_reservation
 * (one row per order and SKU), and every stock change is a conditional UPDATE, so stock never goes negative.
 */
import { refusal } from '../lib/errors';
import { placeholders, type SqlPool } from '../lib/db/sql-pool';
import {
  inLockOrder,
  insertReservation,
  lockAvailable,
  markReleased,
  openReservationsOf,
  unlockToAvailable,
} from '../lib/inventory/stock-table';
import { amountLimitViolation, type OrderLimits } from '../lib/orders/limits';
import { toCents } from '../lib/orders/money';
import type { OrderItemRequest, PricedItem } from '../lib/orders/types';

export interface ReserveStockInput {
  orderId: string;
  items: OrderItemRequest[];
}

export interface ReserveStockResult {
  items: PricedItem[];
}

export interface ReleaseStockInput {
  orderId: string;
}

export interface ReleaseStockResult {
  /** Reservations released by this call (0 when an earlier attempt already did it). */
  released: number;
}

interface CatalogRow {
  product_id: bigint;
  sku_id: bigint;
  name: string;
  image: string;
  /** DECIMAL(10,2) as text. */
  price: string;
}

/** One key for a SKU whether its ids come as request text or as BIGINT read back. */
const skuKey = (productId: string | bigint, skuId: string | bigint): string => `${BigInt(productId)}:${BigInt(skuId)}`;

/** Thrown inside the reserve transaction to roll it back when one SKU is short. */
class ShortStock extends Error {
  constructor(readonly item: OrderItemRequest) {
    super(`not enough stock for product ${item.productId} sku ${item.skuId}`);
  }
}

export function createInventoryActivities(deps: { inventory: SqlPool; limits: OrderLimits }) {
  const { inventory, limits } = deps;

  /**
   * Reserves every item of an order in one transaction (available → locked), all or nothing. A SKU that is short
   * fails the whole reservation with the non-retryable STOCK_INSUFFICIENT, so nothing stays reserved.
   */
  async function reserveStock(input: ReserveStockInput): Promise<ReserveStockResult> {
    const orderId = BigInt(input.orderId);
    // Locked in the one lock order of the order path (reserve, release and deduct alike), so none deadlocks another.
    const items = inLockOrder(input.items);
    try {
      return await inventory.transaction(async (tx) => {
        const catalog = new Map<string, CatalogRow>();
        const rows = await tx.rows<CatalogRow>(
          `SELECT s.product_id, s.sku_id, s.name, IF(s.image = '', p.image, s.image) AS image, s.price
           FROM t_sku s JOIN t_product p ON p.product_id = s.product_id
           WHERE (s.product_id, s.sku_id) IN (${placeholders(items.length, 2)})`,
          items.flatMap((item) => [BigInt(item.productId), BigInt(item.skuId)]),
        );
        for (const row of rows) catalog.set(skuKey(row.product_id, row.sku_id), row);
        const unknown = items.find((item) => !catalog.has(skuKey(item.productId, item.skuId)));
        if (unknown) {
          throw refusal('INVALID_PARAMETER', `unknown product ${unknown.productId} sku ${unknown.skuId}`, {
            productId: unknown.productId,
            skuId: unknown.skuId,
          });
        }
        const priced = input.items.map((item): PricedItem => {
          const row = catalog.get(skuKey(item.productId, item.skuId)) as CatalogRow;
          const priceCents = toCents(row.price);
          return {
            ...item,
            productName: row.name,
            productImage: row.image,
            priceCents,
            subtotalCents: priceCents * item.quantity,
          };
        });
        // Priced here, with the prices the order will carry: an order over the amount limit (which keeps every total
        // inside its DECIMAL(10,2) column) is refused before anything is reserved.
        const overLimit = amountLimitViolation(
          priced.reduce((sum, i) => sum + i.subtotalCents, 0),
          limits,
        );
        if (overLimit) throw refusal('INVALID_PARAMETER', overLimit.message, overLimit.details);
        for (const item of items) {
          const line = { productId: BigInt(item.productId), skuId: BigInt(item.skuId), quantity: item.quantity };
          if (!(await insertReservation(tx, orderId, line))) continue; // reserved by an earlier attempt of this activity
          if (!(await lockAvailable(tx, line))) throw new ShortStock(item);
        }
        return { items: priced };
      });
    } catch (err) {
      if (err instanceof ShortStock) {
        throw refusal('STOCK_INSUFFICIENT', err.message, {
          productId: err.item.productId,
          skuId: err.item.skuId,
          requested: err.item.quantity,
        });
      }
      throw err;
    }
  }

  /** Gives an order's reserved stock back (locked → available). Repeating it releases nothing twice. */
  async function releaseStock(input: ReleaseStockInput): Promise<ReleaseStockResult> {
    const orderId = BigInt(input.orderId);
    return inventory.transaction(async (tx) => {
      let released = 0;
      for (const r of await openReservationsOf(tx, orderId)) {
        await markReleased(tx, r.id);
        const line = { productId: r.product_id, skuId: r.sku_id, quantity: r.quantity };
        if (!(await unlockToAvailable(tx, line))) {
          throw new Error(
            `locked stock too low to release order ${orderId}: product ${r.product_id} sku ${r.sku_id} holds less than it reserved`,
          );
        }
        released++;
      }
      return { released };
    });
  }

  return { reserveStock, releaseStock };
}

export type InventoryActivities = ReturnType<typeof createInventoryActivities>;
