/**
 * Why a send to Kafka failed: the broker answered and refused the record for good (too large, invalid, a topic that
 * cannot exist…), or it could not be reached or did not answer in time. Only a refusal is the record's fault; an
 * unreachable broker is the relay waiting, not the row failing.
 */

interface KafkaErrorLike {
  name?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
}

/** The protocol error type (MESSAGE_TOO_LARGE…) when Kafka refused the record for good, else undefined. */
export function refusedByKafka(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as KafkaErrorLike;
    if (e.name === 'KafkaJSProtocolError' && e.retriable === false) return e.type ?? 'PROTOCOL_ERROR';
    current = e.cause ?? e.originalError;
  }
  return undefined;
}
