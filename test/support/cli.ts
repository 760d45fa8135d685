/** Runs the `doos` command line (bin/doos) against a test's API and returns its exit code and output. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Harness } from './api-harness';

const run = promisify(execFile);
const doos = path.resolve(__dirname, '..', '..', 'bin', 'doos');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `doos <args>` as the harness's operator (DOOS_TOKEN), or with `env` of the caller's own. */
export function runDoos(h: Harness, ...args: string[]): Promise<CliResult> {
  return runDoosWith(h, { DOOS_TOKEN: h.ops.session.accessToken }, ...args);
}

export function runDoosWith(h: Harness, env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const { DOOS_TOKEN: _ignored, ...inherited } = process.env;
  return run(doos, args, { env: { ...inherited, DOOS_API_URL: h.baseUrl, ...env } }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}
