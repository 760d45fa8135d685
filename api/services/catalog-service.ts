/** Catalog and stock for the API: admin upsert of a SKU with its stock, stock reads, product listings. */
import type { InventoryPrismaClient } from '../../lib/db/prisma';
import { retryLockConflicts } from '../../lib/db/db-errors';
import { AppError } from '../../lib/errors';

export interface InventoryView {
  productId: string;
  skuId: string;
  available: number;
  locked: number;
  total: number;
}

export interface SkuView extends InventoryView {
  name: string;
  image: string;
  price: string;
}

export interface ProductPage {
  items: ProductView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ProductView {
  productId: string;
  name: string;
  description: string;
  image: string;
  skus: SkuView[];
}

export interface UpsertSkuInput {
  productId: bigint;
  skuId: bigint;
  name: string;
  price: string;
  stock: number;
  image?: string;
  description?: string;
}

/** How long a SKU seen in the catalog is trusted to exist without asking the database again (SKUs are never deleted). */
const KNOWN_SKU_TTL_MS = 60_000;

export class CatalogService {
  /** "productId:skuId" → when the knowledge expires; only existence is cached, never prices or stock. */
  private readonly knownSkus = new Map<string, number>();

  constructor(private readonly inventory: InventoryPrismaClient) {}

  /**
   * Creates or updates the SKU (and its product) and sets its stock: available = stock, locked = 0, total = stock.
   * Refused with STOCK_LOCKED while orders hold reservations on it, which a reset would orphan.
   */
  async upsertSku(input: UpsertSkuInput): Promise<InventoryView> {
    const { productId, skuId } = input;
    // READ COMMITTED: the locking read of a row that does not exist yet takes no gap lock, which made concurrent
    // upserts of different new SKUs deadlock (500); a conflict that still happens is run again.
    await retryLockConflicts(() => this.writeSku(input));
    return this.getInventory(productId, skuId);
  }

  private async writeSku(input: UpsertSkuInput): Promise<void> {
    const { productId, skuId } = input;
    await this.inventory.$transaction(
      async (tx) => {
        await tx.product.upsert({
          where: { productId },
          create: { productId, name: input.name, image: input.image ?? '', description: input.description ?? '' },
          update: {
            ...(input.image !== undefined ? { image: input.image } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
          },
        });
        await tx.sku.upsert({
          where: { productId_skuId: { productId, skuId } },
          create: { productId, skuId, name: input.name, price: input.price, image: input.image ?? '' },
          update: {
            name: input.name,
            price: input.price,
            ...(input.image !== undefined ? { image: input.image } : {}),
          },
        });
        const rows = await tx.$queryRaw<{ locked_stock: number }[]>`
        SELECT locked_stock FROM t_inventory WHERE product_id = ${productId} AND sku_id = ${skuId} FOR UPDATE`;
        const locked = rows[0]?.locked_stock ?? 0;
        if (locked > 0) {
          throw new AppError(
            'STOCK_LOCKED',
            `${locked} units of this SKU are reserved by open orders; stock cannot be reset now`,
            {
              locked,
            },
          );
        }
        await tx.inventory.upsert({
          where: { productId_skuId: { productId, skuId } },
          create: { productId, skuId, availableStock: input.stock, lockedStock: 0, totalStock: input.stock },
          update: { availableStock: input.stock, lockedStock: 0, totalStock: input.stock, version: { increment: 1 } },
        });
      },
      { isolationLevel: 'ReadCommitted' },
    );
  }

  async getInventory(productId: bigint, skuId: bigint): Promise<InventoryView> {
    const row = await this.inventory.inventory.findUnique({ where: { productId_skuId: { productId, skuId } } });
    if (!row) throw new AppError('SKU_NOT_FOUND', `no stock record for product ${productId} sku ${skuId}`);
    return {
      productId: productId.toString(),
      skuId: skuId.toString(),
      available: row.availableStock,
      locked: row.lockedStock,
      total: row.totalStock,
    };
  }

  /** One page of the catalog, newest product first; `q` matches a product's or a SKU's name, literally. */
  async listProducts(query: { q?: string; page: number; pageSize: number }): Promise<ProductPage> {
    const q = query.q?.trim();
    // Prisma's `contains` is LIKE '%q%' with q as given: % and _ in it would be wildcards; a backslash escapes them.
    const literal = q?.replace(/[\\%_]/g, (c) => `\\${c}`);
    const where = literal
      ? { OR: [{ name: { contains: literal } }, { skus: { some: { name: { contains: literal } } } }] }
      : {};
    const [products, total] = await Promise.all([
      this.inventory.product.findMany({
        where,
        include: { skus: true },
        orderBy: [{ createdAt: 'desc' }, { productId: 'desc' }],
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
      this.inventory.product.count({ where }),
    ]);
    return { items: await this.withStock(products), total, page: query.page, pageSize: query.pageSize };
  }

  async getProduct(productId: bigint): Promise<ProductView> {
    const product = await this.inventory.product.findUnique({ where: { productId }, include: { skus: true } });
    if (!product) throw new AppError('SKU_NOT_FOUND', `no product ${productId}`);
    const [view] = await this.withStock([product]);
    return view as ProductView;
  }

  /** The (productId, skuId) pairs of a list that the catalog does not know. */
  async missingSkus(items: { productId: string; skuId: string }[]): Promise<{ productId: string; skuId: string }[]> {
    const now = Date.now();
    const unknown = items.filter((i) => (this.knownSkus.get(`${i.productId}:${i.skuId}`) ?? 0) <= now);
    if (unknown.length === 0) return [];
    const found = await this.inventory.sku.findMany({
      where: { OR: unknown.map((i) => ({ productId: BigInt(i.productId), skuId: BigInt(i.skuId) })) },
      select: { productId: true, skuId: true },
    });
    for (const f of found) this.knownSkus.set(`${f.productId}:${f.skuId}`, now + KNOWN_SKU_TTL_MS);
    const known = new Set(found.map((f) => `${f.productId}:${f.skuId}`));
    return unknown
      .filter((i) => !known.has(`${i.productId}:${i.skuId}`))
      .map(({ productId, skuId }) => ({ productId, skuId }));
  }

  private async withStock(
    products: {
      productId: bigint;
      name: string;
      description: string;
      image: string;
      skus: { productId: bigint; skuId: bigint; name: string; image: string; price: { toFixed(n: number): string } }[];
    }[],
  ): Promise<ProductView[]> {
    const stock = await this.inventory.inventory.findMany({
      where: { productId: { in: products.map((p) => p.productId) } },
    });
    const byKey = new Map(stock.map((s) => [`${s.productId}:${s.skuId}`, s]));
    return products.map((p) => ({
      productId: p.productId.toString(),
      name: p.name,
      description: p.description,
      image: p.image,
      skus: p.skus
        .slice()
        .sort((a, b) => Number(a.skuId - b.skuId))
        .map((s) => {
          const inv = byKey.get(`${s.productId}:${s.skuId}`);
          return {
            productId: s.productId.toString(),
            skuId: s.skuId.toString(),
            name: s.name,
            image: s.image || p.image,
            price: s.price.toFixed(2),
            available: inv?.availableStock ?? 0,
            locked: inv?.lockedStock ?? 0,
            total: inv?.totalStock ?? 0,
          };
        }),
    }));
  }
}
