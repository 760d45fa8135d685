/** How the ops console words what it shows: figures with their units, ages, shortened ids. */

export interface Figure {
  name: string;
  unit: 'per second' | 'seconds' | 'messages' | 'rows';
  value: number | null;
  query: string;
}

/** "12.3 /s", "85 ms", "1.25 s", "42" — or "—" without samples. */
export function formatFigure(f: Pick<Figure, 'unit' | 'value'>): string {
  if (f.value === null) return '—';
  switch (f.unit) {
    case 'per second':
      return `${f.value.toFixed(1)} /s`;
    case 'seconds':
      return f.value < 1 ? `${Math.round(f.value * 1000)} ms` : `${f.value.toFixed(2)} s`;
    default:
      return String(Math.round(f.value));
  }
}

/** "42 s", "7 min", "3 h", "2 d". */
export function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** A backfill's share done, 0–100 (100 once done, even when the shard was empty). */
export function backfillPercent(p: { phase: string; done: number; total: number }): number {
  if (p.phase === 'done') return 100;
  if (p.total <= 0) return 0;
  return Math.min(99, Math.floor((p.done / p.total) * 100));
}
