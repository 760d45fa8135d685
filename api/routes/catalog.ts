/** Catalog and stock routes: admin upsert of a SKU with its stock, stock of a SKU, products with their stock. */
import { Router } from 'express';
import type { CatalogService } from '../services/catalog-service';
import { parseOrThrow, productParams, skuParams, upsertSkuBody } from '../validation';

export function catalogRoutes(catalog: CatalogService): Router {
  const router = Router();

  router.put('/v1/admin/inventory/:productId/:skuId', async (req, res) => {
    const params = parseOrThrow(skuParams, req.params, 'path');
    const body = parseOrThrow(upsertSkuBody, req.body, 'body');
    const inventory = await catalog.upsertSku({
      productId: BigInt(params.productId),
      skuId: BigInt(params.skuId),
      name: body.name,
      price: String(body.price),
      stock: body.stock,
      ...(body.image !== undefined ? { image: body.image } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    });
    res.json(inventory);
  });

  router.get('/v1/inventory/:productId/:skuId', async (req, res) => {
    const params = parseOrThrow(skuParams, req.params, 'path');
    res.json(await catalog.getInventory(BigInt(params.productId), BigInt(params.skuId)));
  });

  router.get('/v1/products', async (_req, res) => {
    res.json({ items: await catalog.listProducts() });
  });

  router.get('/v1/products/:productId', async (req, res) => {
    const params = parseOrThrow(productParams, req.params, 'path');
    res.json(await catalog.getProduct(BigInt(params.productId)));
  });

  return router;
}
