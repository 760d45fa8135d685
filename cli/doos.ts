/**
 * `doos`: the operators' command line, over the API (DOOS_API_URL, default http://127.0.0.1:<api.port>), as the user
 * of DOOS_TOKEN or of the session `doos login` saved (cli/session.ts).
 * Exit codes: 0 done, 1 the API refused or could not be reached (or a backfill failed), 2 wrong usage.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { ACCOUNT_USAGE, accountCommand } from './account-commands';
import { ALERTS_USAGE, alertsCommand } from './alert-commands';
import { CDC_USAGE, cdcCommand } from './cdc-commands';
import { OUTBOX_USAGE, outboxCommand } from './outbox-commands';
import { RECONCILE_USAGE, reconcileCommand } from './reconcile-commands';
import { SAGA_USAGE, sagaCommand } from './saga-commands';
import { TRACE_USAGE, traceCommand } from './trace-commands';
import { UsageError } from './output';

const USAGE = `usage:\n${ACCOUNT_USAGE}\n${OUTBOX_USAGE}\n${CDC_USAGE}\n${RECONCILE_USAGE}\n${SAGA_USAGE}\n${TRACE_USAGE}\n${ALERTS_USAGE}`;
const ACCOUNT_AREAS = new Set(['login', 'logout', 'whoami', 'token', 'audit', 'role']);

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      shard: { type: 'string' },
      order: { type: 'string' },
      limit: { type: 'string' },
      'no-wait': { type: 'boolean' },
      apply: { type: 'boolean' },
      stuck: { type: 'boolean' },
      user: { type: 'string' },
      since: { type: 'string' },
      reason: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [area, command, arg] = positionals;
  const base = process.env.DOOS_API_URL ?? `http://127.0.0.1:${loadConfig().api.port}`;
  if (area !== undefined && ACCOUNT_AREAS.has(area)) return accountCommand(base, area, positionals.slice(1), values);
  if (area === 'outbox') return outboxCommand(base, command, arg, values);
  if (area === 'cdc') return cdcCommand(base, command, values);
  if (area === 'reconcile') return reconcileCommand(base, command, values);
  if (area === 'trace') return traceCommand(base, command);
  if (area === 'alerts') return alertsCommand(base, values);
  if (area === 'saga') return sagaCommand(base, command, arg, values);
  throw new UsageError(
    'expected: doos login|logout|whoami|token|audit|role, doos outbox <list|retry|retry-failed>, ' +
      'doos cdc <status|backfill|progress>, doos reconcile [audit], doos saga <list|show|retry|cancel|repair>, doos trace <id> or doos alerts',
  );
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`doos: ${(err as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`doos: ${(err as Error).message}`);
    process.exit(1);
  },
);
