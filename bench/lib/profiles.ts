/**
 * BENCH_PROFILE=1: every Node process of the system runs with V8's CPU profiler (--cpu-prof through stack.sh's
 * DOOS_NODE_ARGS) and writes one .cpuprofile per thread when it stops; this names, per process and thread, the
 * functions that took most of its CPU (self time). Open a file in Chrome DevTools for the whole picture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Measured } from './cpu';

interface CpuProfile {
  /** µs on the machine's monotonic clock; each sample's time is this plus the deltas up to it. */
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadProfile {
  process: string;
  thread: number;
  busyMs: number;
  top: { name: string; ms: number }[];
}

/** The apps' environment that makes them profile into `dir`. */
export function profilingEnv(dir: string): Record<string, string> {
  return { DOOS_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${dir}` };
}

const NOT_WORK = new Set(['(idle)', '(program)']);

/** A stretch of the run in µs of the monotonic clock (bench/orders.ts Phase.ticks); null for the whole run. */
export type ProfileWindow = [number, number] | null;

function summarize(
  file: string,
  processName: string,
  thread: number,
  top: number,
  window: ProfileWindow,
): ThreadProfile {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window[0] || at > window[1])) return;
    const frame = frames.get(id);
    if (!frame || NOT_WORK.has(frame.functionName)) return;
    const where = frame.url
      ? ` ${frame.url
          .split(/[\\/]node_modules[\\/]/)
          .pop()!
          .split('/')
          .slice(-2)
          .join('/')}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const ranked = [...self.entries()].sort((a, b) => b[1] - a[1]);
  return {
    process: processName,
    thread,
    busyMs: ranked.reduce((sum, [, ms]) => sum + ms, 0),
    top: ranked.slice(0, top).map(([name, ms]) => ({ name, ms })),
  };
}

/**
 * The profiles in `dir` of the `processes` (matched by pid in the file name), busiest first, counting only the samples
 * taken within `window`.
 */
export function threadProfiles(
  dir: string,
  processes: Measured[],
  window: ProfileWindow = null,
  top = 3,
): ThreadProfile[] {
  const names = new Map(processes.map((p) => [p.pid, p.name]));
  return readdirSync(dir)
    .flatMap((f) => {
      const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(f);
      const name = m && names.get(Number(m[1]));
      return m && name ? [summarize(path.join(dir, f), name, Number(m[2]), top, window)] : [];
    })
    .filter((p) => p.busyMs >= 100)
    .sort((a, b) => b.busyMs - a.busyMs);
}

export function printThreadProfiles(dir: string, profiles: ThreadProfile[], during: string): void {
  console.log(`V8 CPU profiles (${dir}) ${during}: the top functions by self time of each busy thread`);
  for (const p of profiles) {
    const thread = p.thread === 0 ? 'main thread' : `thread ${p.thread}`;
    console.log(`  ${p.process}, ${thread}: ${(p.busyMs / 1000).toFixed(1)} s of CPU`);
    for (const f of p.top) {
      console.log(`    ${((f.ms / p.busyMs) * 100).toFixed(1).padStart(5)} %  ${f.name}`);
    }
  }
}
