/**
 * The catalog: products with their SKUs, price and stock, newest first, searched by name and paged by the API (a shop's
 * catalog is larger than a page should load); add to the cart.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, List, Space, Tag, Typography, message } from 'antd';
import { describeError } from '../api/errors';
import { fetchProducts, type ProductPage } from '../api/products';
import { MAX_LINES, useCart } from '../stores/cart';
import { useT } from '../i18n/language';
import { CatalogSearch } from './CatalogSearch';

/** Products per page of the catalog. */
const PAGE_SIZE = 12;

export default function CatalogPage() {
  const [products, setProducts] = useState<ProductPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const add = useCart((s) => s.add);
  const [toast, holder] = message.useMessage();
  const t = useT();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const search = useCallback((q: string) => {
    setQuery(q);
    setPage(1);
  }, []);

  useEffect(() => {
    let gone = false;
    fetchProducts(query, page, PAGE_SIZE).then(
      (r) => !gone && setProducts(r),
      (err: unknown) => !gone && setError(describeError(err, t)),
    );
    return () => {
      gone = true;
    };
  }, [query, page, t]);

  if (error) return <Alert type="error" title={error} showIcon role="alert" />;
  return (
    <>
      {holder}
      <Typography.Title level={2}>{t('app.catalog')}</Typography.Title>
      <CatalogSearch onQuery={search} style={{ maxWidth: 360, marginBottom: 16 }} />
      <List
        loading={products === null}
        grid={{ gutter: 16, xs: 1, sm: 2, md: 3, lg: 4 }}
        dataSource={products?.items ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: products?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          hideOnSinglePage: true,
        }}
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
                      const line = {
                        productId: p.productId,
                        skuId: sku.skuId,
                        name: sku.name || p.name,
                        price: sku.price,
                      };
                      if (add(line)) void toast.success(t('catalog.added', { name: line.name }));
                      else void toast.warning(t('catalog.cartFull', { max: MAX_LINES }));
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
