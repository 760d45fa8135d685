/**
 * The codec endpoint of the encrypted workflow payloads (lib/privacy/payload-codec.ts), for people allowed to read
 * them — operators and admins — and nobody else:
 *
 * - `temporal workflow show … --codec-endpoint $API/v1/admin/temporal-codec --codec-auth "Bearer $TOKEN"` (a token of
 *   an ops or admin account: `bin/doos login ops`, then `bin/doos token`);
 * - the Temporal Web UI (`make up` starts it with this endpoint): the browser calls the endpoint itself, so it carries
 *   an HttpOnly cookie instead of a header — set by logging in at `$API/v1/admin/temporal-codec/login` as ops or
 *   admin (SameSite=Strict, sent only to this path, lasting as an access token), with "Include cross-origin
 *   credentials" ticked in the Web UI's codec settings. Only the Web UI's origin (temporal.webUiUrl) may call it
 *   from a browser.
 *
 * Decoding reads and changes nothing, so like the staff's GET routes it is not an audited act.
 */
import type { Request, RequestHandler } from 'express';
import cors from 'cors';
import type { Config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import type { PayloadCodec } from '@temporalio/common';
import { payloadsFromJson, payloadsToJson } from '../../lib/privacy/codec-json';
import { clientAddress } from '../client-address';
import { codecPayloads, codecSession } from '../responses';
import { route, type RouteSpec } from '../route';
import type { AuthService } from '../services/auth-service';
import { codecPayloadsBody, loginBody } from '../validation';

export const CODEC_PATH = '/v1/admin/temporal-codec';
const COOKIE = 'doos_codec';

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DOOS: read workflow payloads</title></head>
<body>
<h1>Read encrypted workflow payloads</h1>
<p>Log in as an operator or admin. The Temporal Web UI can then decode this browser's view of the histories
(tick "Include cross-origin credentials" in its codec settings). The session lasts as an access token.</p>
<form method="post" action="${CODEC_PATH}/session">
<p><label>Username <input name="username" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Log in</button></p>
</form>
</body></html>`;

/** Middleware before the routes: the Web UI's CORS, form bodies of the login, and the cookie as a bearer token. */
export function codecMiddleware(config: Pick<Config, 'temporal'>): RequestHandler[] {
  const webUi = new URL(config.temporal.webUiUrl).origin;
  const cookieAsBearer: RequestHandler = (req, _res, next) => {
    if (!req.headers.authorization) {
      const token = cookieOf(req, COOKIE);
      if (token) req.headers.authorization = `Bearer ${token}`;
    }
    next();
  };
  return [
    cors({
      origin: webUi,
      credentials: true,
      methods: ['POST'],
      allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
      maxAge: 600,
    }),
    cookieAsBearer,
  ];
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function temporalCodecRoutes(codec: PayloadCodec, auth: AuthService): RouteSpec[] {
  const convert = async (
    body: { payloads?: { metadata?: Record<string, string>; data?: string }[] },
    op: 'encode' | 'decode',
  ) => {
    try {
      return { body: { payloads: payloadsToJson(await codec[op](payloadsFromJson(body.payloads ?? []))) } };
    } catch (err) {
      throw new AppError('INVALID_PARAMETER', `cannot ${op} these payloads: ${(err as Error).message}`);
    }
  };
  return [
    route({
      method: 'get',
      path: `${CODEC_PATH}/login`,
      tag: 'admin',
      summary: 'the page where an operator logs the browser in to decode payloads in the Temporal Web UI',
      responses: { 200: { description: 'an HTML form', contentType: 'text/html' } },
      handle: () => ({ body: LOGIN_PAGE, type: 'text/html' }),
    }),
    route({
      method: 'post',
      path: `${CODEC_PATH}/session`,
      tag: 'admin',
      summary: 'log the browser in to the codec endpoint (ops or admin): an HttpOnly cookie for this path only',
      body: loginBody,
      responses: { 200: { description: 'logged in', schema: codecSession } },
      errors: ['UNAUTHORIZED', 'FORBIDDEN'],
      handle: async ({ body }, req) => {
        const issued = await auth.login(body.username, body.password, clientAddress(req));
        if (issued.user.role === 'user') {
          await auth.logout(await auth.authenticate(`Bearer ${issued.accessToken}`));
          throw new AppError('FORBIDDEN', 'only operators and admins may read workflow payloads', {
            required: ['ops', 'admin'],
            role: issued.user.role,
          });
        }
        req.res?.cookie(COOKIE, issued.accessToken, {
          httpOnly: true,
          sameSite: 'strict',
          secure: req.secure,
          path: CODEC_PATH,
          maxAge: issued.expiresIn * 1000,
        });
        return { body: { role: issued.user.role, expiresIn: issued.expiresIn } };
      },
    }),
    route({
      method: 'post',
      path: `${CODEC_PATH}/decode`,
      tag: 'admin',
      summary: 'decode workflow payloads (Temporal codec-server protocol)',
      body: codecPayloadsBody,
      responses: { 200: { description: 'decoded payloads', schema: codecPayloads } },
      handle: ({ body }) => convert(body, 'decode'),
    }),
    route({
      method: 'post',
      path: `${CODEC_PATH}/encode`,
      tag: 'admin',
      summary: 'encode workflow payloads (Temporal codec-server protocol)',
      body: codecPayloadsBody,
      responses: { 200: { description: 'encoded payloads', schema: codecPayloads } },
      handle: ({ body }) => convert(body, 'encode'),
    }),
  ];
}
