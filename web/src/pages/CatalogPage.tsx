/** The catalog: products with their SKUs, price and stock, newest first, searched by name and paged; add to the cart. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Input, List, Space, Tag, Typography, message } from 'antd';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import type { Product } from '../api/types';
import { useCart } from '../stores/cart';
import { useT } from '../i18n/language';

/** Newest products first; with a query, those whose product or SKU name contains it (any case). */
export function matching(products: Product[], query: string): Product[] {
  const q = query.trim().toLowerCase();
  const newestFirst = [...products].reverse();
  if (!q) return newestFirst;
  return newestFirst.filter((p) => [p.name, ...p.skus.map((s) => s.name)].some((n) => n.toLowerCase().includes(q)));
}

export default function CatalogPage() {
  const [products, setProducts] = useState<Product[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const add = useCart((s) => s.add);
  const [toast, holder] = message.useMessage();
  const t = useT();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => matching(products ?? [], query), [products, query]);

  useEffect(() => {
    api<{ items: Product[] }>('GET', '/v1/products').then(
      (r) => setProducts(r.items),
      (err: unknown) => setError(describeError(err, t)),
    );
  }, []);

  if (error) return <Alert type="error" title={error} showIcon role="alert" />;
  return (
    <>
      {holder}
      <Typography.Title level={2}>{t('app.catalog')}</Typography.Title>
      <Input.Search
        allowClear
        aria-label={t('catalog.search')}
        placeholder={t('catalog.search')}
        onSearch={setQuery}
        onChange={(e) => setQuery(e.target.value)}
        style={{ maxWidth: 360, marginBottom: 16 }}
      />
      <List
        loading={products === null}
        grid={{ gutter: 16, xs: 1, sm: 2, md: 3, lg: 4 }}
        dataSource={shown}
        pagination={{ pageSize: 12, showSizeChanger: false, hideOnSinglePage: true }}
        renderItem={(p) => (
          <List.Item>
            <Card title={p.name} size="small">
              {p.skus.map((sku) => (
                <Space key={sku.skuId} style={{ display: 'flex', justifyContent: 'space-between' }} wrap>
                  <span>
                    {sku.name || p.name} · ¥{sku.price}{' '}
                    {sku.available > 0 ? (
                      <Tag>{t('catalog.inStock', { count: sku.available })}</Tag>
                    ) : (
                      <Tag>{t('catalog.soldOut')}</Tag>
                    )}
                  </span>
                  <Button
                    size="small"
                    disabled={sku.available === 0}
                    aria-label={t('catalog.addLabel', { name: sku.name || p.name })}
                    onClick={() => {
                      add({ productId: p.productId, skuId: sku.skuId, name: sku.name || p.name, price: sku.price });
                      void toast.success(t('catalog.added', { name: sku.name || p.name }));
                    }}
                  >
                    {t('catalog.add')}
                  </Button>
                </Space>
              ))}
            </Card>
          </List.Item>
        )}
      />
    </>
  );
}
