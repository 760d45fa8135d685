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

export function runDoos(h: Harness, ...args: string[]): Promise<CliResult> {
  return run(doos, args, { env: { ...process.env, DOOS_API_URL: h.baseUrl } }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}
