import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccessTokens, TokenRefused } from '../../lib/auth/tokens';
import type { Config } from '../../lib/config';

const auth = (accessTokenSeconds: number, keys = ['k1:a signing secret of thirty-two bytes!']): Config['auth'] =>
  ({ issuer: 'doos-test', accessTokenSeconds, signingKeyId: 'k1', signingKeys: keys }) as Config['auth'];
const claims = { userId: 1001n, role: 'user' as const, sessionId: 's-1' };

describe('access tokens: a verified token is remembered by its text until it expires', () => {
  it('a token verifies to the same claims every time it is sent', async () => {
    const tokens = new AccessTokens(auth(900));
    const token = await tokens.sign(claims);
    for (let i = 0; i < 3; i++) assert.deepEqual(await tokens.verify(token), claims);
  });

  it('a changed byte is another token, refused even after the original verified', async () => {
    const tokens = new AccessTokens(auth(900));
    const token = await tokens.sign(claims);
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const admin = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' }),
    );
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    for (const forged of [`${header}.${admin.toString('base64url')}.${signature}`, `${header}.${payload}.${flipped}`]) {
      await assert.rejects(tokens.verify(forged), TokenRefused);
      await assert.rejects(tokens.verify(forged), TokenRefused, 'a refused token is refused again, not remembered');
    }
  });

  it('a remembered token is refused once it expires', async () => {
    const tokens = new AccessTokens(auth(1));
    const token = await tokens.sign(claims);
    assert.deepEqual(await tokens.verify(token), claims);
    await sleep(1_100);
    await assert.rejects(tokens.verify(token), /the access token has expired/);
  });

  it('a token signed with a key this process does not hold is refused', async () => {
    const other = await new AccessTokens(auth(900, ['k1:another secret, also thirty-two bytes'])).sign(claims);
    await assert.rejects(new AccessTokens(auth(900)).verify(other), TokenRefused);
  });
});
