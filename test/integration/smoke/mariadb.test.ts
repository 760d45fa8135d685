import assert from 'node:assert/strict';
import { testConfig } from '../../support/config';
import { createShardPrisma, createInventoryPrisma } from '../../../lib/db/prisma';

describe('smoke: MariaDB shards and inventory DB through Prisma', () => {
  const config = testConfig();

  config.shards.dsns.forEach((dsn, shard) => {
    it(`an order row written to shard ${shard} reads back with its items, then is gone once deleted`, async () => {
      const prisma = createShardPrisma(dsn, 2);
      const id = BigInt(Date.now()) * 1000n + BigInt(shard);
      try {
        await prisma.order.create({
          data: {
            id,
            userId: BigInt(1000 + shard),
            orderNo: `SMOKE${id}`,
            totalAmount: '25.00',
            actualAmount: '25.00',
            paymentMethod: 'alipay',
            shippingAddress: JSON.stringify({ city: 'Hangzhou' }),
            items: {
              create: [
                { productId: 1n, skuId: 101n, productName: 'Tea', price: '12.50', quantity: 2, subtotal: '25.00' },
              ],
            },
          },
        });
        const row = await prisma.order.findUnique({ where: { id }, include: { items: true } });
        assert.ok(row, 'order row not found after insert');
        assert.equal(row.orderNo, `SMOKE${id}`);
        assert.equal(row.actualAmount.toString(), '25');
        assert.equal(row.items.length, 1);
        assert.equal(row.items[0]?.quantity, 2);
        const db = await prisma.$queryRawUnsafe<{ db: string }[]>('SELECT DATABASE() AS db');
        assert.equal(db[0]?.db, `doos_order_${shard}`);
      } finally {
        await prisma.orderItem.deleteMany({ where: { orderId: id } });
        await prisma.order.deleteMany({ where: { id } });
        assert.equal(await prisma.order.count({ where: { id } }), 0);
        await prisma.$disconnect();
      }
    });
  });

  it('stock in the inventory DB cannot go negative (CHECK constraint)', async () => {
    const prisma = createInventoryPrisma(config.inventory.dsn, 2);
    const productId = BigInt(Date.now());
    try {
      await prisma.product.create({ data: { productId, name: 'Smoke product' } });
      await prisma.inventory.create({ data: { productId, skuId: 1n, availableStock: 3, totalStock: 3 } });
      const row = await prisma.inventory.findUnique({ where: { productId_skuId: { productId, skuId: 1n } } });
      assert.equal(row?.availableStock, 3);
      await assert.rejects(
        prisma.$executeRawUnsafe(
          'UPDATE t_inventory SET available_stock = available_stock - 5 WHERE product_id = ? AND sku_id = 1',
          productId,
        ),
        /ck_inventory_non_negative|CONSTRAINT/i,
      );
      const after = await prisma.inventory.findUnique({ where: { productId_skuId: { productId, skuId: 1n } } });
      assert.equal(after?.availableStock, 3);
    } finally {
      await prisma.inventory.deleteMany({ where: { productId } });
      await prisma.product.deleteMany({ where: { productId } });
      await prisma.$disconnect();
    }
  });
});
