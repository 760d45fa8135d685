/**
 * The OpenAPI 3.0 document of the HTTP API, generated from the route declarations (api/route.ts): their zod request
 * schemas become parameters and request bodies, their response schemas the documented bodies, and their coded errors
 * the error responses with the codes of the error table. Served at GET /v1/openapi.json and browsable at /docs.
 */
import { OpenAPIRegistry, OpenApiGeneratorV3, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { ErrorCodes, type ErrorKind } from '../lib/errors';
import { accessOf, type Access } from './access';
import { takesInput, type RouteSpec } from './route';
import { limitClassOf } from './rate-limits';
import { errorBody } from './responses';

const DESCRIPTION =
  'Orders carried by a Temporal saga over sharded MariaDB. Ids are decimal strings, money is "12.50" strings. ' +
  'Errors are { code, message, details? } with the codes of the error table (README). A path answers 405 to a ' +
  'method it does not have. Routes other than the public ones need `Authorization: Bearer <access token>` ' +
  '(POST /v1/auth/login) of a role the route allows (its `x-roles`): 401 / 10002 without a valid token, 403 / 10005 ' +
  'for another role. Requests are limited per user and per address (429 / 10006 with `Retry-After` in seconds).';

/** Who may call a route, in words, for its description. */
function accessText(access: Access): string {
  if (access === 'public') return 'Public.';
  if (access === 'signed-in') return 'Any signed-in user.';
  return `Roles: ${access.join(', ')}.`;
}

/** `/v1/orders/:orderId` → `/v1/orders/{orderId}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** The documented error responses of a route, one per HTTP status, naming every code it may carry. */
function errorResponses(spec: RouteSpec): Record<number, ResponseConfig> {
  const access = accessOf(spec);
  const guarded: ErrorKind[] =
    access === 'public' ? [] : access === 'signed-in' ? ['UNAUTHORIZED'] : ['UNAUTHORIZED', 'FORBIDDEN'];
  const kinds: ErrorKind[] = [
    ...(takesInput(spec) ? (['INVALID_PARAMETER'] as const) : []),
    ...(spec.body ? (['BODY_TOO_LARGE'] as const) : []),
    ...guarded,
    ...(limitClassOf(spec) === undefined ? [] : (['RATE_LIMITED'] as const)),
    ...(spec.errors ?? []),
  ];
  const byStatus = new Map<number, string[]>();
  for (const kind of new Set(kinds)) {
    const { code, http } = ErrorCodes[kind];
    byStatus.set(http, [...(byStatus.get(http) ?? []), `${code} ${kind}`]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      status,
      { description: codes.join(', '), content: { 'application/json': { schema: errorBody } } },
    ]),
  );
}

function responsesOf(spec: RouteSpec): Record<number, ResponseConfig> {
  const documented = Object.entries(spec.responses).map(([status, r]): [number, ResponseConfig] => [
    Number(status),
    {
      description: r.description,
      content: r.schema
        ? { 'application/json': { schema: r.schema } }
        : { [r.contentType ?? 'application/json']: { schema: {} } },
    },
  ]);
  return { ...errorResponses(spec), ...Object.fromEntries(documented) };
}

export function buildOpenApiDocument(routes: readonly RouteSpec[]): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'access token from POST /v1/auth/login or /v1/auth/refresh',
  });
  for (const spec of routes) {
    const access = accessOf(spec);
    registry.registerPath({
      method: spec.method,
      path: openApiPath(spec.path),
      tags: [spec.tag],
      summary: spec.summary,
      description: [accessText(access), spec.description].filter(Boolean).join(' '),
      security: access === 'public' ? [] : [{ [bearer.name]: [] }],
      'x-roles': access === 'public' ? [] : access === 'signed-in' ? ['user', 'admin', 'ops'] : [...access],
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
        // A body whose every field is optional may be left out (the router reads a missing body as `{}`).
        ...(spec.body
          ? {
              body: {
                required: !spec.body.safeParse({}).success,
                content: { 'application/json': { schema: spec.body } },
              },
            }
          : {}),
      },
      responses: responsesOf(spec),
    });
  }
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'DOOS API', version: '0.1.0', description: DESCRIPTION },
  });
}
