import assert from 'node:assert/strict';
import { EncryptionCodec } from '../../lib/privacy/payload-codec';
import { KeyRing } from '../../lib/privacy/key-ring';
import { maskPhone, PersonalData } from '../../lib/privacy/personal-data';
import { defaultPayloadConverter } from '@temporalio/common';

const key = (id: string, fill: number) => `${id}:${Buffer.alloc(32, fill).toString('base64')}`;
const ring = new KeyRing({ keyId: 'k1', keys: [key('k1', 1)] });

describe('personal data and workflow payloads, encrypted (AES-256-GCM with key ids)', () => {
  const address = { name: 'Li Lei', phone: '13800000000', detail: '1 West Lake Road' };

  it('seals an address under the current key id and opens it for the same order only', () => {
    const personal = new PersonalData(ring);
    const sealed = personal.sealAddress(42n, address);
    assert.match(sealed, /^enc:v1:k1:/);
    assert.equal(sealed.includes('13800000000'), false);
    assert.notEqual(personal.sealAddress(42n, address), sealed, 'a new IV each time');
    assert.deepEqual(personal.openAddress('42', sealed), address);
    assert.throws(() => personal.openAddress(43n, sealed));
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAA=') ? 'BBB=' : 'AAA=');
    assert.throws(() => personal.openAddress(42n, tampered));
    assert.deepEqual(personal.openAddress(42n, JSON.stringify(address)), address, 'rows written before: plain JSON');
  });

  it('a rotated ring opens what the old key sealed; a ring without that key refuses with its name', () => {
    const old = new PersonalData(ring).sealAddress(7n, address);
    const rotated = new PersonalData(new KeyRing({ keyId: 'k2', keys: [key('k1', 1), key('k2', 2)] }));
    assert.deepEqual(rotated.openAddress(7n, old), address);
    assert.match(rotated.sealAddress(7n, address), /^enc:v1:k2:/);
    const without = new PersonalData(new KeyRing({ keyId: 'k2', keys: [key('k2', 2)] }));
    assert.throws(() => without.openAddress(7n, old), /no privacy key k1/);
  });

  it('the payload codec encrypts every payload and decodes it back; payloads it did not encode pass through', async () => {
    const codec = new EncryptionCodec(ring);
    const payload = defaultPayloadConverter.toPayload({ shippingAddress: address });
    const [encoded] = await codec.encode([payload]);
    assert.equal(Buffer.from(encoded!.metadata!.encoding!).toString(), 'binary/encrypted');
    assert.equal(Buffer.from(encoded!.data!).toString('latin1').includes('13800000000'), false);
    const [decoded] = await codec.decode([encoded!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), { shippingAddress: address });
    assert.deepEqual(await codec.decode([payload]), [payload]);
  });

  it('masks a phone number in lists', () => {
    assert.equal(maskPhone('13800000000'), '138****0000');
    assert.equal(maskPhone('+8613800000000'), '+86*******0000');
    assert.equal(maskPhone('12345'), '*****');
  });
});
