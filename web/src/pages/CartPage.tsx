/**
 * The cart and the checkout: the address form checks what the API checks, and one Idempotency-Key per checkout
 * (kept with the cart, so a double click or a reload repeats the same order instead of making a second one). A 503
 * (the order is still being confirmed) is sent again by itself with the same key, every 2 s up to 5 times, and then
 * once more at a click: the same key never makes a second order.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import type { Order } from '../api/types';
import { MAX_QUANTITY, formatCents, toCents, totalCents, useCart, type CartLine } from '../stores/cart';
import { checkoutError, checkoutRules, type CheckoutForm } from './checkout-rules';
import { useT } from '../i18n/language';

/** Automatic repeats of a checkout answered 503, and the pause before each. */
export const CHECKOUT_RETRIES = 5;
const RETRY_MS = 2000;

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
  /** The form of a checkout answered 503, and how many times it was sent again by itself. */
  const [pending, setPending] = useState<{ form: CheckoutForm; retries: number } | null>(null);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const t = useT();
  const rules = checkoutRules(t);

  useEffect(() => () => clearTimeout(retryTimer.current), []);

  const checkout = async (form: CheckoutForm, retries = 0) => {
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
      setPending(null);
      clear();
      renewCheckoutKey();
      void navigate(`/orders/${order.orderId}`);
    } catch (err) {
      setError(checkoutError(err, lines, t));
      if (err instanceof ApiError && err.status === 503) {
        setPending({ form, retries });
        if (retries < CHECKOUT_RETRIES) {
          retryTimer.current = setTimeout(() => void checkout(form, retries + 1), RETRY_MS);
        }
      } else {
        setPending(null);
      }
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
        {error && (
          <Alert
            type={pending ? 'warning' : 'error'}
            title={error}
            description={
              pending &&
              (pending.retries < CHECKOUT_RETRIES ? (
                t('cart.retrying', { attempt: pending.retries + 1, of: CHECKOUT_RETRIES })
              ) : (
                <Button size="small" onClick={() => void checkout(pending.form, pending.retries)}>
                  {t('cart.tryAgain')}
                </Button>
              ))
            }
            showIcon
            style={{ marginBottom: 16 }}
            role="alert"
          />
        )}
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
