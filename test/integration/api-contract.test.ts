import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowHandle } from '../../lib/temporal/workflows';
import { cdcBackfillWorkflow } from '../../workflows/cdc-backfill-definitions';
import { call } from '../support/orders';
import { withStack } from '../support/stack';

const root = path.resolve(__dirname, '..', '..');
const stack = path.join(root, 'deployments', 'native', 'stack.sh');
const configFile = path.join(root, 'deployments', 'schemathesis', 'schemathesis.toml');

/** Runs a command to its end, with its output (stdout and stderr together). */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('the API against its own OpenAPI document (Schemathesis, every check)', function () {
  this.timeout(900_000);
  // Data of its own, so that every order, SKU and saga the run meets was made in this run, with a worker to answer
  // for it; an order worker and a CDC worker (backfills) run in this process.
  const h = withStack({ isolatedData: 'contract', cdcWorker: true, sagaAnswerTimeoutSeconds: 5 });

  before(async function () {
    this.timeout(300_000);
    const install = spawnSync('bash', [stack, 'install', 'schemathesis'], { encoding: 'utf8' });
    assert.equal(install.status, 0, `${install.stdout}${install.stderr}`);
    // The SKU of the document's example order, so that generated sequences place orders and go on to pay them.
    const seeded = await call(h, 'PUT', '/v1/admin/inventory/1/101', {
      name: 'Longjing tea 250g',
      price: '12.50',
      stock: 1_000_000,
    });
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
  });

  // A backfill the run started runs on this suite's task queue; it must not outlive the suite's worker.
  h.onTeardown(async () => {
    for (let shard = 0; shard < h.config.shards.count; shard++) {
      const handle = workflowHandle(h.resources.temporal, cdcBackfillWorkflow, shard);
      try {
        const d = await handle.describe();
        if (d.status.name === 'RUNNING' && d.taskQueue === h.config.temporal.taskQueues.cdcIndexer) {
          await handle.terminate('the API contract run is over');
        }
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
  });

  it('generated requests of every operation find no failure of any check', async () => {
    const st = spawnSync('bash', [stack, 'path', 'schemathesis'], { encoding: 'utf8' }).stdout.trim();
    const { code, output } = await run(st, [
      '--config-file',
      configFile,
      '--no-color',
      'run',
      `${h.baseUrl}/v1/openapi.json`,
      '--checks',
      'all',
    ]);
    const summary = output.slice(output.lastIndexOf('SUMMARY'));
    console.log(summary.replace(/^/gm, '      '));
    // Every operation Schemathesis found in the document was tested (none skipped for lack of a usable schema).
    const selected = /Selected: (\d+)\/(\d+)/.exec(summary);
    const tested = /Tested: (\d+)/.exec(summary);
    assert.ok(selected && tested && Number(selected[2]) >= 26, summary);
    assert.equal(tested[1], selected[2], summary);
    assert.equal(code, 0, output.slice(-12_000));
  });
});
