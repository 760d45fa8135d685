/**
 * The AES-256-GCM keys personal data and workflow payloads are encrypted with: `privacy.keys` as
 * `<keyId>:<base64 of 32 bytes>`, new data under `privacy.keyId`, any listed key still decrypts what it wrote — so a
 * key rotates by adding the new one, switching keyId, re-encrypting (lib/privacy/reseal-cli.ts) and then dropping the
 * old one. Ciphertext is iv (12 bytes) | ciphertext | tag (16 bytes); the key id travels next to it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Config } from '../config';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class KeyRing {
  private readonly keys = new Map<string, Buffer>();

  constructor(privacy: Config['privacy']) {
    for (const entry of privacy.keys) {
      const at = entry.indexOf(':');
      this.keys.set(entry.slice(0, at), Buffer.from(entry.slice(at + 1), 'base64'));
    }
    if (!this.keys.has(privacy.keyId)) throw new Error(`no key ${privacy.keyId} in privacy.keys`);
    this.currentId = privacy.keyId;
  }

  /** The key new data is encrypted with. */
  readonly currentId: string;

  encrypt(plain: Uint8Array, aad?: Uint8Array): { keyId: string; sealed: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentId), iv);
    if (aad) cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { keyId: this.currentId, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  /** Decrypts; throws for an unknown key id or for data changed since it was sealed. */
  decrypt(keyId: string, sealed: Uint8Array, aad?: Uint8Array): Buffer {
    const data = Buffer.from(sealed);
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error('sealed data is too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), data.subarray(0, IV_BYTES));
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key)
      throw new Error(`no privacy key ${keyId} (privacy.keys): it was rotated out before its data was resealed`);
    return key;
  }
}
