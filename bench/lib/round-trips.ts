/**
 * Requests the servers answered over a stretch of a benchmark, read from their own counters: Redis's commands
 * (INFO commandstats), each MariaDB instance's statements (SHOW GLOBAL STATUS) and the Temporal server's calls into
 * its database and lookups in its history cache (its /metrics). Divided by the orders placed, they say how many round
 * trips an order costs the whole system — the API's, the saga's, the relay's, the CDC reader's and the consumer's
 * together, with whatever the idle processes poll meanwhile.
 */
import type { Redis } from 'ioredis';
import { loadConfig } from '../../lib/config';
import { createSqlPool, type SqlPool } from '../../lib/db/sql-pool';
import { createRedis } from '../../lib/redis/client';

/** Request counts by server, then by command or statement kind. */
export type RoundTrips = Map<string, Map<string, number>>;

/** The Temporal server's metrics endpoint as the stack starts it (deployments/native/stack.env). */
const TEMPORAL_METRICS = `http://127.0.0.1:${process.env.DOOS_TEMPORAL_METRICS_PORT ?? 9468}/metrics`;

const STATEMENTS = ['Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_commit', 'Com_begin', 'Questions'];

export interface RoundTripMeter {
  /** The counts since the meter started. */
  stop(): Promise<RoundTrips>;
}

export async function startRoundTripMeter(): Promise<RoundTripMeter> {
  const config = loadConfig();
  const redis = createRedis(config);
  const instances: [string, SqlPool][] = [
    ...config.shards.dsns.map((dsn, i): [string, SqlPool] => [`mariadb-shard${i}`, createSqlPool(dsn, 1)]),
    ['mariadb-inventory', createSqlPool(config.inventory.dsn, 1)],
  ];
  const read = async (): Promise<RoundTrips> => {
    const counts: RoundTrips = new Map([['redis', await redisCommands(redis)]]);
    for (const [name, pool] of instances) counts.set(name, await statements(pool));
    const temporal = await temporalCounters();
    counts.set('temporal database', temporal.persistence);
    counts.set('temporal state cache', temporal.stateCache);
    return counts;
  };
  const before = await read();
  return {
    async stop() {
      try {
        const after = await read();
        return new Map(
          [...after].map(([server, kinds]) => [
            server,
            new Map([...kinds].map(([kind, n]) => [kind, n - (before.get(server)?.get(kind) ?? 0)])),
          ]),
        );
      } finally {
        redis.disconnect();
        for (const [, pool] of instances) await pool.close();
      }
    },
  };
}

async function redisCommands(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats');
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts.set(match[1]!, Number(match[2]));
  return counts;
}

async function statements(pool: SqlPool): Promise<Map<string, number>> {
  const rows = await pool.rows<{ Variable_name: string; Value: string }>(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${STATEMENTS.map(() => '?').join(', ')})`,
    STATEMENTS,
  );
  return new Map(rows.map((r) => [r.Variable_name.replace(/^Com_/, '').toLowerCase(), Number(r.Value)]));
}

/**
 * The server's calls into its database by operation (`persistence_requests`) and its history service's
 * mutable-state cache lookups, as hits and misses (a miss reads the workflow's state from the database).
 */
async function temporalCounters(): Promise<{ persistence: Map<string, number>; stateCache: Map<string, number> }> {
  const text = await (await fetch(TEMPORAL_METRICS)).text();
  const persistence = new Map<string, number>();
  let lookups = 0;
  let misses = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} ([\d.e+]+)$/.exec(line);
    if (!m) continue;
    const [, metric, labels, value] = m;
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels!)?.[1];
    if (metric === 'persistence_requests') {
      const op = label('operation') ?? '?';
      persistence.set(op, (persistence.get(op) ?? 0) + Number(value));
    } else if (label('cache_type') === 'mutablestate') {
      if (metric === 'cache_requests') lookups += Number(value);
      if (metric === 'cache_miss') misses += Number(value);
    }
  }
  return {
    persistence,
    stateCache: new Map([
      ['hits', lookups - misses],
      ['misses', misses],
    ]),
  };
}

/**
 * One line per server: its requests per unit (MariaDB's Questions: every statement a client sent), the most frequent
 * kinds first (the meter's own reads are not subtracted).
 */
export function printRoundTrips(title: string, trips: RoundTrips, units: number, unitName: string): void {
  console.log(`${title}, per ${unitName}:`);
  for (const [server, kinds] of trips) {
    const perUnit = (n: number) => (n / units).toFixed(1);
    const total = kinds.get('questions') ?? [...kinds.values()].reduce((a, b) => a + b, 0);
    const parts = [...kinds]
      .filter(([kind, n]) => kind !== 'questions' && n / units >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind} ${perUnit(n)}`);
    console.log(`  ${server.padEnd(20)} ${perUnit(total).padStart(6)}   ${parts.join(', ')}`);
  }
}
