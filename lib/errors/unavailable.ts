/**
 * Whether an error means a dependency could not be reached or did not answer (a database, Elasticsearch, Temporal,
 * Kafka): the API answers such a request with 503 / 10004, which a client repeats, instead of 500.
 */

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  'ER_GET_CONNECTION_TIMEOUT',
  'ER_CONNECTION_TIMEOUT',
  'ER_SOCKET_UNEXPECTED_CLOSE',
  'ER_CLOSING_POOL',
  // Prisma: cannot reach the server, timed out, connection closed, no connection from the pool in time.
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
]);

const UNAVAILABLE_NAMES = new Set([
  'PrismaClientInitializationError',
  'ConnectionError', // Elasticsearch transport
  'TimeoutError',
  'NoLivingConnectionsError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
]);

/** Which dependency problem the error is, in words, or undefined when it is something else. */
export function unavailableDependency(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e = err as Record<string, unknown> | undefined; e && typeof e === 'object' && !seen.has(e);) {
    seen.add(e);
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return e.code;
    if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return e.name;
    if (e.code === 14 || e.code === 4) return 'gRPC UNAVAILABLE'; // Temporal unreachable / deadline exceeded
    e = (e.cause ?? e.originalError) as Record<string, unknown> | undefined;
  }
  return undefined;
}
