/** The catalog as the API pages it (GET /v1/products): one page of products, newest first, searched by name. */
import { api } from './client';
import type { Product } from './types';

export interface ProductPage {
  items: Product[];
  total: number;
}

export function fetchProducts(query: string, page: number, pageSize: number): Promise<ProductPage> {
  const params = new URLSearchParams({
    page: String(page),
    pageSize: String(pageSize),
    ...(query ? { q: query } : {}),
  });
  return api<ProductPage>('GET', `/v1/products?${params.toString()}`);
}
