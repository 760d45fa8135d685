/**
 * Access tokens: JWTs signed with HS256 (the only algorithm accepted) under a key id, keys from auth.signingKeys
 * (`<keyId>:<secret>`). New tokens use auth.signingKeyId; every configured key verifies, so keys rotate without
 * logging everyone out. A token names its user, role at issue and login session (sid); whether that session is still
 * valid, and the user's role now, the caller checks (api/services/auth-service.ts).
 *
 * A client sends the same token with every request until it refreshes it, so a token once verified is remembered by
 * its exact text until it expires: the repeats skip the signature check (an HMAC and jose's parsing, 8–9 % of the
 * API's CPU per order, docs/architecture.md "Performance"). Only tokens that verified are remembered; a changed byte
 * is another text and is verified in full.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Config } from '../config';
import { isRole, type Role } from './roles';

const ALGORITHM = 'HS256';

export interface AccessClaims {
  userId: bigint;
  role: Role;
  sessionId: string;
}

/** Why a token was refused; the message for the 401 answer (never the token). */
export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
}

/** Verified tokens remembered before the memory is emptied (a bound on memory, not a limit on clients). */
const MAX_VERIFIED_TOKENS = 10_000;

export class AccessTokens {
  private readonly keys: Map<string, Uint8Array>;
  private readonly signingKeyId: string;
  /** Token text → its claims and when it expires (ms), for tokens that verified. */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();

  constructor(private readonly auth: Config['auth']) {
    this.keys = new Map(
      auth.signingKeys.map((entry) => {
        const at = entry.indexOf(':');
        return [entry.slice(0, at), new TextEncoder().encode(entry.slice(at + 1))];
      }),
    );
    this.signingKeyId = auth.signingKeyId;
  }

  get lifetimeSeconds(): number {
    return this.auth.accessTokenSeconds;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const key = this.keys.get(this.signingKeyId);
    if (!key) throw new Error(`no signing key ${this.signingKeyId}`);
    return new SignJWT({ role: claims.role, sid: claims.sessionId })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.signingKeyId, typ: 'JWT' })
      .setSubject(claims.userId.toString())
      .setIssuer(this.auth.issuer)
      .setIssuedAt()
      .setExpirationTime(`${this.auth.accessTokenSeconds}s`)
      .sign(key);
  }

  /** The claims of a valid token; TokenRefused for a bad signature, unknown key, other algorithm, expiry, … */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    // jose refuses a token from its `exp` second on; so does the cache. An expired one is checked in full (and refused).
    if (known && Date.now() < known.expiresAtMs) return known.claims;
    if (known) this.verified.delete(token);
    const { claims, expiresAt } = await this.verifySignature(token);
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.clear();
    this.verified.set(token, { claims, expiresAtMs: expiresAt * 1000 });
    return claims;
  }

  private async verifySignature(token: string): Promise<{ claims: AccessClaims; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
          if (!key) throw new TokenRefused('the token is signed with an unknown key');
          return key;
        },
        { algorithms: [ALGORITHM], issuer: this.auth.issuer, requiredClaims: ['sub', 'exp', 'iat', 'sid'] },
      );
      const role = typeof payload.role === 'string' && isRole(payload.role) ? payload.role : undefined;
      if (!role || typeof payload.sid !== 'string' || !/^\d{1,19}$/.test(payload.sub ?? '')) {
        throw new TokenRefused('the token does not carry a user, role and session');
      }
      return {
        claims: { userId: BigInt(payload.sub as string), role, sessionId: payload.sid },
        expiresAt: payload.exp as number,
      };
    } catch (err) {
      if (err instanceof TokenRefused) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new TokenRefused('the access token has expired; refresh it');
      if (err instanceof joseErrors.JOSEError) throw new TokenRefused(`invalid access token (${err.code})`);
      throw err;
    }
  }
}
