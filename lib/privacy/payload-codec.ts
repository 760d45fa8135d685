/**
 * Workflow payloads (inputs, results, update and query answers, memos, activity arguments) encrypted before they
 * leave a process for the Temporal server: the SDK's documented way, a PayloadCodec in the client's and the workers'
 * data converter. A history then holds no plain personal data; the Web UI and `temporal workflow show` show
 * `binary/encrypted` until they are pointed at the codec endpoint (api/routes/temporal-codec.ts), which decodes for
 * signed-in operators. Payloads written before encryption pass through decode unchanged. Search attributes are not
 * payloads of the codec (status, user id, shard: no personal data).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Config } from '../config';
import { KeyRing } from './key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';

const text = (s: string): Uint8Array => Buffer.from(s);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: KeyRing) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const { keyId, sealed } = this.keys.encrypt(temporal.api.common.v1.Payload.encode(payload).finish());
        return { metadata: { encoding: text(ENCRYPTED_ENCODING), [KEY_ID]: text(keyId) }, data: sealed };
      }),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const encoding = payload.metadata?.encoding;
        if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
        const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? new Uint8Array()).toString();
        const plain = this.keys.decrypt(keyId, payload.data ?? new Uint8Array());
        return temporal.api.common.v1.Payload.decode(plain);
      }),
    );
  }
}

/** The data converter every Temporal client and worker of DOOS uses: payloads encrypted on config.privacy's keys. */
export function temporalDataConverter(config: Pick<Config, 'privacy'>): { payloadCodecs: PayloadCodec[] } {
  return { payloadCodecs: [new EncryptionCodec(new KeyRing(config.privacy))] };
}
