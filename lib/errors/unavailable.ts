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
  'WorkerIdUnavailableError', // the process's Snowflake lease lapsed and a new one is being leased
]);

/** mariadb connector errnos: pool timeout, connection timeout, socket closed, connection refused. */
const CONNECTION_ERRNOS = new Set([45028, 45012, 45009, 45002]);

/** What Prisma's driver adapter says when the database behind it does not answer (it keeps only the message). */
const PRISMA_UNAVAILABLE =
  /pool timeout|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT|Can't reach database|socket has unexpectedly been closed|Connection closed/i;

/** Which dependency problem the error is, in words, or undefined when it is something else. */
export function unavailableDependency(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e = err as Record<string, unknown> | undefined; e && typeof e === 'object' && !seen.has(e);) {
    seen.add(e);
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return e.code;
    if (typeof e.errno === 'number' && CONNECTION_ERRNOS.has(e.errno)) return `errno ${e.errno}`;
    if (
      typeof e.name === 'string' &&
      e.name.startsWith('PrismaClient') &&
      typeof e.message === 'string' &&
      PRISMA_UNAVAILABLE.test(e.message)
    ) {
      return 'the database does not answer';
    }
    if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return e.name;
    if (e.code === 14 || e.code === 4) return 'gRPC UNAVAILABLE'; // Temporal unreachable / deadline exceeded
    e = (e.cause ?? e.originalError) as Record<string, unknown> | undefined;
  }
  return undefined;
}
