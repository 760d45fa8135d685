/** Account routes: register, log in, refresh, log out, who am I. */
import { clientAddress } from '../client-address';
import { route, signedIn, type RouteSpec } from '../route';
import { issuedTokens, me, registered } from '../responses';
import type { AuthService } from '../services/auth-service';
import { loginBody, refreshBody, registerBody } from '../validation';

export function authRoutes(auth: AuthService): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/v1/auth/register',
      tag: 'auth',
      summary: 'create a buyer account (role user)',
      body: registerBody,
      responses: { 201: { description: 'created', schema: registered } },
      errors: ['USERNAME_TAKEN'],
      handle: async ({ body }) => ({ body: await auth.register(body.username, body.password) }),
    }),
    route({
      method: 'post',
      path: '/v1/auth/login',
      tag: 'auth',
      summary: 'log in: an access token (2 h) and a refresh token (7 d, used once)',
      body: loginBody,
      responses: { 200: { description: 'logged in', schema: issuedTokens } },
      errors: ['UNAUTHORIZED'],
      handle: async ({ body }, req) => ({ body: await auth.login(body.username, body.password, clientAddress(req)) }),
    }),
    route({
      method: 'post',
      path: '/v1/auth/refresh',
      tag: 'auth',
      summary: 'new tokens for a refresh token, which is used up; presenting a used one ends its session',
      body: refreshBody,
      responses: { 200: { description: 'new tokens', schema: issuedTokens } },
      errors: ['UNAUTHORIZED'],
      handle: async ({ body }) => ({ body: await auth.refresh(body.refreshToken) }),
    }),
    route({
      method: 'post',
      path: '/v1/auth/logout',
      tag: 'auth',
      summary: "end the caller's session: its access and refresh tokens stop working",
      responses: { 204: { description: 'logged out', contentType: 'text/plain' } },
      handle: async ({ caller }) => {
        await auth.logout(signedIn(caller));
        return { status: 204, body: '', type: 'text/plain' };
      },
    }),
    route({
      method: 'get',
      path: '/v1/auth/me',
      tag: 'auth',
      summary: 'who the token belongs to, with their role now',
      responses: { 200: { description: 'the caller', schema: me } },
      handle: ({ caller }) => {
        const { userId, username, role } = signedIn(caller);
        return { body: { userId: userId.toString(), username, role } };
      },
    }),
  ];
}
