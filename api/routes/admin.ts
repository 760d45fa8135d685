/** Administration of accounts and the audit log: change a user's role, read the log of admin and operator acts. */
import type { AuditLog } from '../../lib/accounts/audit-log';
import { route, signedIn, type RouteSpec } from '../route';
import { auditPage, me } from '../responses';
import type { AuthService } from '../services/auth-service';
import { auditQuery, roleBody, userParams } from '../validation';

export function adminRoutes(auth: AuthService, audit: AuditLog): RouteSpec[] {
  return [
    route({
      method: 'put',
      path: '/v1/admin/users/:userId/role',
      tag: 'admin',
      summary:
        "set another user's role (user, admin, ops); their sessions see it within auth.sessionCheckSeconds; " +
        'your own is refused (403), so the last admin stays one',
      params: userParams,
      body: roleBody,
      responses: { 200: { description: 'the user with the new role', schema: me } },
      errors: ['USER_NOT_FOUND'],
      handle: async ({ params, body, caller }) => ({
        body: await auth.setRole(signedIn(caller), BigInt(params.userId), body.role),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/audit',
      tag: 'admin',
      summary: 'the audit log of admin and operator acts, newest first',
      query: auditQuery,
      responses: { 200: { description: 'one page', schema: auditPage } },
      handle: async ({ query }) => ({
        body: await audit.list({
          ...(query.actorId ? { actorId: BigInt(query.actorId) } : {}),
          ...(query.action ? { action: query.action } : {}),
          page: query.page,
          pageSize: query.pageSize,
        }),
      }),
    }),
  ];
}
