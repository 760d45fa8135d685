/**
 * Spans of the plain SQL statements (lib/db/sql-pool.ts; the `mariadb` driver has no OpenTelemetry instrumentation):
 * one client span per statement — named by its verb and table, with the parameterised statement (never the values,
 * which may be personal data) — and one around each transaction. Free when nothing records them.
 */
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { doosTracer } from './tracer-provider';

/** `INSERT t_order`, `SELECT t_sku_stock`, … from a statement. */
export function statementName(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
  const table = /\b(?:FROM|INTO|UPDATE|JOIN)\s+`?(\w+)`?/i.exec(sql)?.[1];
  return table ? `${verb} ${table}` : verb;
}

/** Runs `work` in a client span named `name`; an error marks the span and goes on to the caller. */
export async function inSqlSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return doosTracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
