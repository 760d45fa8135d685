/** The rules of the SKU form, the same as the API's (api/validation.ts upsertSkuBody, idString). */
import type { Rule } from 'antd/es/form';
import type { Translate } from '../../i18n/language';

const ID_PATTERN = /^[1-9]\d{0,18}$/;
const MAX_ID = 9_223_372_036_854_775_807n;

/** A product or SKU id: a positive decimal of a signed 64-bit integer. */
export function isId(v: string): boolean {
  return ID_PATTERN.test(v) && BigInt(v) <= MAX_ID;
}
export const PRICE = /^\d{1,8}(\.\d{1,2})?$/;

export function skuRules(t: Translate): Record<'id' | 'name' | 'price' | 'stock', Rule[]> {
  return {
    id: [
      {
        required: true,
        validator: (_, v: string | undefined) =>
          v && isId(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('catalogAdmin.rule.id'))),
      },
    ],
    name: [{ required: true, whitespace: true, max: 200, message: t('catalogAdmin.rule.name') }],
    price: [{ required: true, pattern: PRICE, message: t('catalogAdmin.rule.price') }],
    stock: [{ required: true, type: 'integer', min: 0, max: 100_000_000, message: t('catalogAdmin.rule.stock') }],
  };
}
