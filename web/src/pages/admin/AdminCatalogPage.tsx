/**
 * The catalog for the shop's admin: every product and SKU with its price and stock (available, locked, total),
 * searched and paged by the API; a SKU's name, price and stock set, or a new one added
 * (PUT /v1/admin/inventory/{productId}/{skuId}). Setting stock while units are locked by unpaid orders is refused
 * (409 / 30002): the form says so.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { fetchProducts } from '../../api/products';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { Sku } from '../../api/types';
import { useT } from '../../i18n/language';
import { CatalogSearch } from '../CatalogSearch';
import { skuRules } from './sku-rules';

interface SkuRow extends Sku {
  productName: string;
  description: string;
}

interface SkuForm {
  productId: string;
  skuId: string;
  name: string;
  price: string;
  stock: number;
  description?: string;
}

const PAGE_SIZE = 20;

export default function AdminCatalogPage() {
  const t = useT();
  const { message } = App.useApp();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ rows: SkuRow[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ isNew: boolean; values: SkuForm } | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<SkuForm>();
  const rules = skuRules(t);
  const search = useCallback((q: string) => {
    setQuery(q);
    setPage(1);
  }, []);

  const load = useCallback(async () => {
    try {
      const r = await fetchProducts(query, page, PAGE_SIZE);
      setData({
        rows: r.items.flatMap((p) => p.skus.map((s) => ({ ...s, productName: p.name, description: p.description }))),
        total: r.total,
      });
      setError(null);
    } catch (err) {
      setError(describeError(err, t));
    }
  }, [page, query, t]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (editing) form.setFieldsValue(editing.values);
  }, [editing, form]);

  const save = async (values: SkuForm) => {
    setSaving(true);
    try {
      await api('PUT', `/v1/admin/inventory/${values.productId}/${values.skuId}`, {
        name: values.name.trim(),
        price: values.price.trim(),
        stock: values.stock,
        ...(values.description ? { description: values.description } : {}),
      });
      message.success(t('catalogAdmin.saved', { name: values.name }));
      setEditing(null);
      await load();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Typography.Title level={2}>{t('catalogAdmin.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <CatalogSearch onQuery={search} style={{ width: 320 }} />
        <Button
          type="primary"
          onClick={() =>
            setEditing({ isNew: true, values: { productId: '', skuId: '', name: '', price: '', stock: 0 } })
          }
        >
          {t('catalogAdmin.add')}
        </Button>
      </Space>
      {error && <Alert type="error" title={error} showIcon role="alert" style={{ marginBottom: 16 }} />}
      <Table<SkuRow>
        rowKey={(r) => `${r.productId}:${r.skuId}`}
        size="small"
        scroll={{ x: true }}
        loading={data === null && !error}
        dataSource={data?.rows ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          { title: t('admin.productId'), dataIndex: 'productId' },
          { title: t('catalogAdmin.skuId'), dataIndex: 'skuId' },
          { title: t('cart.item'), render: (_, r) => r.name || r.productName },
          { title: t('cart.price'), dataIndex: 'price', render: (p: string) => `¥${p}` },
          { title: t('catalogAdmin.available'), dataIndex: 'available' },
          { title: t('catalogAdmin.locked'), dataIndex: 'locked' },
          { title: t('catalogAdmin.total'), dataIndex: 'total' },
          {
            title: t('ops.actions'),
            render: (_, r) => (
              <Button
                size="small"
                aria-label={t('catalogAdmin.editLabel', { name: r.name || r.productName })}
                onClick={() =>
                  setEditing({
                    isNew: false,
                    values: {
                      productId: r.productId,
                      skuId: r.skuId,
                      name: r.name || r.productName,
                      price: r.price,
                      stock: r.total,
                      description: r.description,
                    },
                  })
                }
              >
                {t('catalogAdmin.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t(editing?.isNew ? 'catalogAdmin.add' : 'catalogAdmin.edit')}
        okText={t('catalogAdmin.save')}
        confirmLoading={saving}
        onCancel={() => setEditing(null)}
        onOk={() => void form.validateFields().then(save)}
        destroyOnHidden
      >
        <Form<SkuForm> form={form} layout="vertical" name="sku">
          <Form.Item name="productId" label={t('admin.productId')} rules={rules.id}>
            <Input disabled={!editing?.isNew} />
          </Form.Item>
          <Form.Item name="skuId" label={t('catalogAdmin.skuId')} rules={rules.id}>
            <Input disabled={!editing?.isNew} />
          </Form.Item>
          <Form.Item name="name" label={t('catalogAdmin.name')} rules={rules.name}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="price" label={t('cart.price')} rules={rules.price}>
            <Input prefix="¥" />
          </Form.Item>
          <Form.Item
            name="stock"
            label={t('catalogAdmin.stock')}
            rules={rules.stock}
            extra={t('catalogAdmin.stockHint')}
          >
            <InputNumber min={0} max={100_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="description" label={t('catalogAdmin.description')}>
            <Input.TextArea maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
