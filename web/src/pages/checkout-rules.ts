/** The checkout form's rules and messages: the same limits the API's placeOrderBody checks (api/validation.ts). */
import type { Rule } from 'antd/es/form';
import { ApiError, describeError } from '../api/errors';
import type { Translate } from '../i18n/language';
import type { CartLine } from '../stores/cart';

export interface CheckoutForm {
  name: string;
  phone: string;
  city?: string;
  detail: string;
  paymentMethod: 'alipay' | 'wechat' | 'credit_card';
}

export const PHONE = /^[0-9+\- ]{5,20}$/;

export function checkoutRules(t: Translate): Record<'name' | 'phone' | 'city' | 'detail', Rule[]> {
  return {
    name: [{ required: true, whitespace: true, max: 64, message: t('cart.rule.name') }],
    phone: [{ required: true, pattern: PHONE, message: t('cart.rule.phone') }],
    city: [{ max: 64, message: t('cart.rule.city') }],
    detail: [{ required: true, whitespace: true, max: 255, message: t('cart.rule.detail') }],
  };
}

/** The message for a refused checkout; a SKU that ran out is named. */
export function checkoutError(err: unknown, lines: CartLine[], t: Translate): string {
  if (err instanceof ApiError && err.code === 30001) {
    const skuId = (err.details as { skuId?: string } | undefined)?.skuId;
    const line = lines.find((l) => l.skuId === skuId);
    return t('cart.outOfStock', { item: line ? `${line.name} (SKU ${line.skuId})` : `SKU ${skuId ?? '?'}` });
  }
  return describeError(err, t);
}
