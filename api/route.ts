/**
 * One declaration per HTTP route: method, path, the zod schemas of its path, query, headers and body, its responses
 * and the coded errors it may answer with, and its handler. The router validates every request with those schemas
 * (400 / 10001 before the handler runs) and the OpenAPI document is generated from the same declarations, so the
 * document cannot drift from what the API accepts and answers.
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { ZodObject, ZodType, z } from 'zod';
import type { Principal } from '../lib/auth/roles';
import { AppError, ErrorCodes, type ErrorKind } from '../lib/errors';
import { accessGuard, callerOf, type AccessDeps } from './access';
import type { RequestLimits } from './rate-limits';
import { requestIdOf } from './security';
import { parseOrThrow } from './validation';
import { routeSpan } from './route-span';

export type HttpMethod = 'get' | 'post' | 'put';

export interface ResponseSpec {
  description: string;
  /** JSON body schema; absent for a body that is not JSON (then `contentType` says what it is). */
  schema?: ZodType;
  contentType?: string;
}

type Out<S> = S extends ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, H, B> {
  params: Out<P>;
  query: Out<Q>;
  headers: Out<H>;
  body: Out<B>;
  /** Who called, on a route that needs a token (api/access.ts); undefined on a public one. */
  caller: Principal | undefined;
  /** The request's id (X-Request-Id, api/security.ts): the correlation id of what it starts. */
  requestId: string;
}

/** The caller of a route that needs a token (its access rule guarantees one). */
export function signedIn(caller: Principal | undefined): Principal {
  if (!caller) throw new AppError('UNAUTHORIZED', 'this route needs a bearer token');
  return caller;
}

/** What a handler answers: a status (the route's lowest documented one when absent) and a body. */
export interface Reply {
  status?: number;
  body: unknown;
  /** Content type of a body that is not JSON (it is sent as is). */
  type?: string;
}

/**
 * A reply that keeps the connection open (server-sent events): the handler has checked the request, and `stream`
 * writes the status, headers and body itself, until the client goes away or the stream ends.
 */
export interface StreamReply {
  stream(res: Response, req: Request): void;
}

export interface RouteSpec<
  P extends ZodObject | undefined = ZodObject | undefined,
  Q extends ZodObject | undefined = ZodObject | undefined,
  H extends ZodObject | undefined = ZodObject | undefined,
  B extends ZodType | undefined = ZodType | undefined,
> {
  method: HttpMethod;
  /** Express syntax (`/v1/orders/:orderId`); the document shows `{orderId}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  /** Header names in lower case. */
  headers?: H;
  body?: B;
  responses: Record<number, ResponseSpec>;
  /** Coded errors it may answer with, besides 400 / 10001 for invalid input (documented whenever it takes input). */
  errors?: readonly ErrorKind[];
  handle(input: RouteInput<P, Q, H, B>, req: Request): Promise<Reply | StreamReply> | Reply | StreamReply;
}

/** Declares a route (the generics infer the handler's input types from its schemas). */
export function route<
  P extends ZodObject | undefined = undefined,
  Q extends ZodObject | undefined = undefined,
  H extends ZodObject | undefined = undefined,
  B extends ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, H, B>): RouteSpec {
  return spec;
}

/** Whether a route takes any input that can be invalid. */
export function takesInput(spec: RouteSpec): boolean {
  return Boolean(spec.params ?? spec.query ?? spec.headers ?? spec.body);
}

function handlerOf(spec: RouteSpec): RequestHandler {
  const firstStatus = Number(Object.keys(spec.responses)[0] ?? 200);
  return async (req: Request, res: Response) => {
    const input = {
      params: spec.params ? parseOrThrow(spec.params, req.params, 'path') : undefined,
      query: spec.query ? parseOrThrow(spec.query, req.query, 'query') : undefined,
      headers: spec.headers ? parseOrThrow(spec.headers, req.headers, 'headers') : undefined,
      body: spec.body ? parseOrThrow(spec.body, req.body ?? {}, 'body') : undefined,
      caller: callerOf(res),
      requestId: requestIdOf(res) ?? '',
    };
    const reply = await spec.handle(input, req);
    if ('stream' in reply) {
      reply.stream(res, req);
      return;
    }
    res.status(reply.status ?? firstStatus);
    if (reply.type) res.type(reply.type).send(reply.body);
    else res.json(reply.body);
  };
}

/** A path pattern as a matcher for the requests of any method. */
function matcherOf(path: string): RegExp {
  const pattern = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`);
}

/**
 * Mounts the routes on the app, each behind its access rule (api/access.ts: a route without one throws here) and its
 * rate limits (api/rate-limits.ts), and
 * answers a request whose path exists but not with its method with 405, the methods it has in `Allow`, and code
 * 10001.
 */
export function mountRoutes(
  app: Express,
  routes: readonly RouteSpec[],
  access: AccessDeps,
  limits: RequestLimits,
): void {
  for (const spec of routes) {
    app[spec.method](spec.path, routeSpan(spec.path), accessGuard(access, spec), limits.guard(spec), handlerOf(spec));
  }
  const byPath = new Map<string, { matcher: RegExp; methods: Set<string> }>();
  for (const spec of routes) {
    const entry = byPath.get(spec.path) ?? { matcher: matcherOf(spec.path), methods: new Set<string>() };
    entry.methods.add(spec.method.toUpperCase());
    if (spec.method === 'get') entry.methods.add('HEAD');
    byPath.set(spec.path, entry);
  }
  app.use((req, res, next) => {
    const allowed = [...byPath.values()].filter((e) => e.matcher.test(req.path)).flatMap((e) => [...e.methods]);
    if (allowed.length === 0 || allowed.includes(req.method)) {
      next();
      return;
    }
    res
      .status(405)
      .set('Allow', [...new Set(allowed)].sort().join(', '))
      .json({
        code: ErrorCodes.INVALID_PARAMETER.code,
        message: `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`,
      });
  });
}
