/** Snowflake benchmark: ids per second on one thread, and a duplicate check over 10 M ids (sorted, adjacent pairs). */
import { Snowflake } from '../lib/ids/snowflake';

export interface SnowflakeBenchResult {
  ids: number;
  idsPerSecond: number;
  duplicates: number;
}

export function benchSnowflake(count = 10_000_000): SnowflakeBenchResult {
  const timed = new Snowflake({ workerId: 1 });
  let sink = 0n;
  for (let i = 0; i < 100_000; i++) sink ^= timed.next(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < count; i++) sink ^= timed.next();
  const seconds = (performance.now() - t0) / 1000;
  if (sink === -1n) console.log('unreachable'); // keeps the loop from being optimised away

  const ids = new BigUint64Array(count);
  const checked = new Snowflake({ workerId: 2 });
  for (let i = 0; i < count; i++) ids[i] = checked.next();
  ids.sort();
  let duplicates = 0;
  for (let i = 1; i < count; i++) if (ids[i] === ids[i - 1]) duplicates++;
  return { ids: count, idsPerSecond: count / seconds, duplicates };
}

export function printSnowflakeBench(r: SnowflakeBenchResult): void {
  console.log(
    `snowflake: ${(r.idsPerSecond / 1e6).toFixed(3)} M ids/s on one thread (ceiling 4.096 M/s per worker id)`,
  );
  console.log(`  duplicates among ${r.ids.toLocaleString('en')} ids: ${r.duplicates}`);
}
