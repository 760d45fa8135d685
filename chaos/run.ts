/**
 * `make chaos`: the full chaos run (60 s outages, a SIGKILL about every 10 s), printing its summary; exit 1 when an
 * invariant does not hold. CHAOS_SHOPPERS, CHAOS_OUTAGE_SECONDS and CHAOS_KILL_EVERY_SECONDS change its size.
 */
import { runChaos, summary } from './chaos';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

runChaos({
  shoppers: num('CHAOS_SHOPPERS', 8),
  skus: 4,
  stockPerSku: 1000,
  outageSeconds: num('CHAOS_OUTAGE_SECONDS', 60),
  gapSeconds: 15,
  killEverySeconds: num('CHAOS_KILL_EVERY_SECONDS', 10),
  paymentTimeoutSeconds: 30,
  settleSeconds: 300,
  log: (line) => console.log(line),
}).then(
  (result) => {
    console.log(summary(result));
    process.exit(result.checks.every((c) => c.ok) ? 0 : 1);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
