/**
 * CPU time per process over a stretch of a benchmark, read from /proc (what `pidstat` reports, without needing it):
 * each process's user + system time, with the time of the children it waited for, every other process of the machine
 * by its command name, interrupt handling, and the whole machine's busy time, so nothing goes unaccounted.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Measured {
  name: string;
  pid: number;
}

export interface CpuUse {
  name: string;
  /** CPU seconds the process used in the stretch. */
  seconds: number;
  /** Its share of one core over the stretch, in % (200 % is both cores of a 2-core machine). */
  percentOfCore: number;
}

export interface CpuReport {
  wallSeconds: number;
  cores: number;
  /** Busy share of the whole machine, in % of all its cores. */
  machineBusyPercent: number;
  /** Most CPU first; "other" is the machine's busy time no listed process accounts for. */
  processes: CpuUse[];
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcessTicks {
  ticks: number;
  command: string;
  /** When it started, in ticks since boot: tells a process from a later one with the same pid. */
  startedAt: string;
}

/** utime + stime + cutime + cstime of a process in ticks, its command name and start; null once it has gone. */
function processTicks(pid: number): ProcessTicks | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain numbers.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/-.*$/, ''); // kworker/0:1-events
    return { ticks, command, startedAt: fields[19] ?? '' };
  } catch {
    return null;
  }
}

/** Every process of the machine now (kernel threads included), by pid. */
function allProcesses(): Map<number, ProcessTicks> {
  const all = new Map<number, ProcessTicks>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = processTicks(Number(entry));
    if (t) all.set(Number(entry), t);
  }
  return all;
}

/** Busy ticks of the machine (user, nice, system, irq, softirq; not the hypervisor's steal), all cores summed. */
function machineTicks(): { busy: number; total: number; interrupts: number; cores: number } {
  const stat = readFileSync('/proc/stat', 'utf8');
  const [user, nice, system, idle, iowait, irq, softirq] = stat
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const interrupts = (irq ?? 0) + (softirq ?? 0);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + interrupts;
  const cores = stat.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0), interrupts, cores };
}

/**
 * Starts measuring `processes`; `stop()` gives what each used since. Processes not listed show by command name (the
 * busiest few), interrupt handling as "kernel (irq, softirq)", and what is left as "other".
 */
export function startCpuMeter(processes: Measured[]): { stop(): CpuReport } {
  const t0 = performance.now();
  const machine0 = machineTicks();
  const before = allProcesses();
  return {
    stop() {
      const wallSeconds = (performance.now() - t0) / 1000;
      const machine1 = machineTicks();
      const after = allProcesses();
      const use = (name: string, ticks: number): CpuUse => {
        const seconds = ticks / TICKS_PER_SECOND;
        return { name, seconds, percentOfCore: (seconds / wallSeconds) * 100 };
      };
      const used = (pid: number): number => {
        const start = before.get(pid);
        const end = after.get(pid);
        // A process that started during the stretch counts from 0; one that ended is lost (no figure is invented).
        return end ? end.ticks - (start?.startedAt === end.startedAt ? start.ticks : 0) : 0;
      };
      const listed = new Set(processes.map((p) => p.pid));
      const uses = processes.map((p) => use(p.name, used(p.pid)));
      const unlisted = new Map<string, number>();
      for (const [pid, p] of after) {
        if (listed.has(pid)) continue;
        unlisted.set(p.command, (unlisted.get(p.command) ?? 0) + used(pid));
      }
      const busiestUnlisted = [...unlisted.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
      for (const [command, ticks] of busiestUnlisted) uses.push(use(`(${command})`, ticks));
      uses.push(use('kernel (irq, softirq)', machine1.interrupts - machine0.interrupts));
      const accounted = uses.reduce((sum, u) => sum + u.seconds * TICKS_PER_SECOND, 0);
      uses.push(use('other', Math.max(0, machine1.busy - machine0.busy - accounted)));
      return {
        wallSeconds,
        cores: machine1.cores,
        machineBusyPercent: ((machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total)) * 100,
        processes: uses.sort((a, b) => b.seconds - a.seconds),
      };
    },
  };
}

/**
 * Prints the table, one row per process: % of a core and CPU milliseconds per unit of work (per order). `top`
 * names the first rows on a line of their own (BENCH_PROFILE's top 3).
 */
export function printCpuReport(title: string, r: CpuReport, units: number, unitName: string, top = 0): void {
  console.log(
    `${title}: ${r.wallSeconds.toFixed(1)} s, machine ${r.machineBusyPercent.toFixed(0)} % busy (${r.cores} cores)`,
  );
  console.log(`  ${'process'.padEnd(20)} ${'% of a core'.padStart(11)} ${`CPU ms/${unitName}`.padStart(16)}`);
  for (const p of r.processes) {
    if (p.seconds < 0.05) continue;
    const perUnit = units > 0 ? ((p.seconds * 1000) / units).toFixed(1) : '-';
    console.log(`  ${p.name.padEnd(20)} ${p.percentOfCore.toFixed(1).padStart(11)} ${perUnit.padStart(16)}`);
  }
  const total = r.processes.reduce((sum, p) => sum + p.seconds, 0);
  if (units > 0)
    console.log(`  ${'all'.padEnd(20)} ${''.padStart(11)} ${((total * 1000) / units).toFixed(1).padStart(16)}`);
  if (top > 0) {
    const names = r.processes
      .slice(0, top)
      .map((p) => `${p.name} ${((p.seconds / Math.max(total, 1e-9)) * 100).toFixed(0)} %`);
    console.log(`  top ${top} consumers of CPU: ${names.join(', ')}`);
  }
}
