/**
 * The cart and the checkout: the address form checks what the API checks, and one Idempotency-Key per checkout
 * (kept with the cart, so a double click or a reload repeats the same order instead of making a second one).
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import type { Order } from '../api/types';
import { MAX_QUANTITY, formatCents, toCents, totalCents, useCart, type CartLine } from '../stores/cart';
import { checkoutError, checkoutRules, type CheckoutForm } from './checkout-rules';
import { useT } from '../i18n/language';

const ADDRESS_FIELDS = [
  { name: 'name', label: 'cart.name', autoComplete: 'name' },
  { name: 'phone', label: 'cart.phone', autoComplete: 'tel' },
  { name: 'city', label: 'cart.city', autoComplete: 'address-level2' },
  { name: 'detail', label: 'cart.detail', autoComplete: 'street-address' },
] as const;

export default function CartPage() {
  const { lines, setQuantity, remove, clear, checkoutKey, renewCheckoutKey } = useCart();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useT();
  const rules = checkoutRules(t);

  const checkout = async (form: CheckoutForm) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const order = await api<Order>(
        'POST',
        '/v1/orders',
        {
          items: lines.map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity })),
          shippingAddress: {
            name: form.name,
            phone: form.phone,
            detail: form.detail,
            ...(form.city ? { city: form.city } : {}),
          },
          paymentMethod: form.paymentMethod,
          remark: '',
        },
        { 'idempotency-key': checkoutKey },
      );
      clear();
      renewCheckoutKey();
      void navigate(`/orders/${order.orderId}`);
    } catch (err) {
      setError(checkoutError(err, lines, t));
    } finally {
      setBusy(false);
    }
  };

  if (lines.length === 0) return <Typography.Paragraph>{t('cart.empty')}</Typography.Paragraph>;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('cart.title')}</Typography.Title>
      <Table<CartLine>
        rowKey="skuId"
        pagination={false}
        dataSource={lines}
        scroll={{ x: true }}
        columns={[
          { title: t('cart.item'), dataIndex: 'name' },
          { title: t('cart.price'), dataIndex: 'price', render: (p: string) => `¥${p}` },
          {
            title: t('cart.quantity'),
            render: (_, l) => (
              <InputNumber
                aria-label={t('cart.quantityOf', { name: l.name })}
                min={1}
                max={MAX_QUANTITY}
                value={l.quantity}
                onChange={(q) => setQuantity(l.skuId, q ?? 1)}
              />
            ),
          },
          { title: t('cart.subtotal'), render: (_, l) => `¥${formatCents(toCents(l.price) * l.quantity)}` },
          {
            title: '',
            render: (_, l) => (
              <Button type="link" onClick={() => remove(l.skuId)} aria-label={t('cart.removeLabel', { name: l.name })}>
                {t('cart.remove')}
              </Button>
            ),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={3}>
              {t('cart.total')}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} colSpan={2}>
              <strong>¥{formatCents(totalCents(lines))}</strong>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <Card title={t('cart.address')}>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
        <Form<CheckoutForm>
          layout="vertical"
          initialValues={{ paymentMethod: 'alipay' }}
          onFinish={(v) => void checkout(v)}
        >
          {ADDRESS_FIELDS.map((f) => (
            <Form.Item key={f.name} label={t(f.label)} name={f.name} rules={rules[f.name]}>
              <Input autoComplete={f.autoComplete} />
            </Form.Item>
          ))}
          <Form.Item label={t('cart.paymentMethod')} name="paymentMethod">
            <Select
              options={[
                { value: 'alipay', label: t('pay.alipay') },
                { value: 'wechat', label: t('pay.wechat') },
                { value: 'credit_card', label: t('pay.credit_card') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={busy}>
            {t('cart.placeOrder')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
