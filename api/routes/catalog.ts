/** Catalog and stock routes: admin upsert of a SKU with its stock, stock of a SKU, products with their stock. */
import { route, type RouteSpec } from '../route';
import { inventory, product, productList } from '../responses';
import type { CatalogService } from '../services/catalog-service';
import { productParams, productsQuery, skuParams, upsertSkuBody } from '../validation';

export function catalogRoutes(catalog: CatalogService): RouteSpec[] {
  return [
    route({
      method: 'put',
      path: '/v1/admin/inventory/:productId/:skuId',
      tag: 'catalog',
      summary: 'create or update a SKU with its price and set its stock (available = stock, locked = 0)',
      params: skuParams,
      body: upsertSkuBody,
      responses: { 200: { description: 'the stock of the SKU', schema: inventory } },
      errors: ['STOCK_LOCKED'],
      handle: async ({ params, body }) => ({
        body: await catalog.upsertSku({
          productId: BigInt(params.productId),
          skuId: BigInt(params.skuId),
          name: body.name,
          price: typeof body.price === 'number' ? body.price.toFixed(2) : body.price,
          stock: body.stock,
          ...(body.image !== undefined ? { image: body.image } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/inventory/:productId/:skuId',
      tag: 'catalog',
      summary: 'stock of a SKU',
      params: skuParams,
      responses: { 200: { description: 'stock', schema: inventory } },
      errors: ['SKU_NOT_FOUND'],
      handle: async ({ params }) => ({
        body: await catalog.getInventory(BigInt(params.productId), BigInt(params.skuId)),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/products',
      tag: 'catalog',
      summary: 'the catalog with stock, newest first, paged; q: products whose name or a SKU name contains it',
      query: productsQuery,
      responses: { 200: { description: 'one page of products', schema: productList } },
      handle: async ({ query }) => ({ body: await catalog.listProducts(query) }),
    }),
    route({
      method: 'get',
      path: '/v1/products/:productId',
      tag: 'catalog',
      summary: 'one product with its SKUs and their stock',
      params: productParams,
      responses: { 200: { description: 'product', schema: product } },
      errors: ['SKU_NOT_FOUND'],
      handle: async ({ params }) => ({ body: await catalog.getProduct(BigInt(params.productId)) }),
    }),
  ];
}
