/**
 * Personal data at rest: a shipping address (name, phone, address) is stored in its order's row as
 * `enc:v1:<keyId>:<base64 sealed JSON>` (lib/privacy/key-ring.ts), bound to its order id (GCM's additional data), so a
 * sealed address copied onto another order does not open. Rows written before encryption hold plain JSON and are
 * read as they are until resealed (lib/privacy/reseal-cli.ts).
 */
import type { ShippingAddress } from '../orders/types';
import type { Config } from '../config';
import { KeyRing } from './key-ring';

const PREFIX = 'enc:v1:';

export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

/** The key id a sealed text was written with; undefined for plain text. */
export function keyIdOf(text: string): string | undefined {
  if (!isSealed(text)) return undefined;
  return text.slice(PREFIX.length, text.indexOf(':', PREFIX.length));
}

export class PersonalData {
  constructor(private readonly keys: KeyRing) {}

  sealAddress(orderId: string | bigint, address: ShippingAddress): string {
    const { keyId, sealed } = this.keys.encrypt(Buffer.from(JSON.stringify(address)), aadOf(orderId));
    return `${PREFIX}${keyId}:${sealed.toString('base64')}`;
  }

  openAddress(orderId: string | bigint, stored: string): ShippingAddress {
    if (!isSealed(stored)) return JSON.parse(stored) as ShippingAddress;
    const keyId = keyIdOf(stored) as string;
    const sealed = Buffer.from(stored.slice(PREFIX.length + keyId.length + 1), 'base64');
    return JSON.parse(this.keys.decrypt(keyId, sealed, aadOf(orderId)).toString('utf8')) as ShippingAddress;
  }
}

function aadOf(orderId: string | bigint): Buffer {
  return Buffer.from(`order:${orderId.toString()}`);
}

/** A phone number as lists show it: the first 3 and last 4 digits (13800000000 → 138****0000). */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** The personal-data cipher of a process, on the configured keys. */
export function personalDataOf(config: Pick<Config, 'privacy'>): PersonalData {
  return new PersonalData(new KeyRing(config.privacy));
}
