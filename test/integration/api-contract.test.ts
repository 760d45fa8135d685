import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowHandle } from '../../lib/temporal/workflows';
import { cdcBackfillWorkflow } from '../../workflows/cdc-backfill-definitions';
import { newBuyer } from '../support/orders';
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
    const seeded = await h.admin.call('PUT', '/v1/admin/inventory/1/101', {
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

  /**
   * One Schemathesis run over the operations `filter` selects, with a bearer token: every operation it selected was
   * tested (none skipped for lack of a usable schema) and no check failed. Returns how many it tested.
   */
  async function contractRun(token: string, filter: string[]): Promise<number> {
    const st = spawnSync('bash', [stack, 'path', 'schemathesis'], { encoding: 'utf8' }).stdout.trim();
    const { code, output } = await run(st, [
      '--config-file',
      configFile,
      '--no-color',
      'run',
      `${h.baseUrl}/v1/openapi.json`,
      '--checks',
      'all',
      '--header',
      `Authorization: Bearer ${token}`,
      ...filter,
    ]);
    const summary = output.slice(output.lastIndexOf('SUMMARY'));
    console.log(summary.replace(/^/gm, '      '));
    const selected = /Selected: (\d+)\/(\d+)/.exec(summary);
    const tested = /Tested: (\d+)/.exec(summary);
    assert.ok(selected && tested, summary);
    assert.equal(tested[1], selected[1], summary);
    assert.equal(code, 0, output.slice(-12_000));
    return Number(tested[1]);
  }

  // A buyer's token on the buyer's routes (their own orders, the catalog, their account), a staff token (admin: every
  // staff route) on the others; logging out is left to the auth tests (it would end the run's own session). Without a
  // token, `ignored_auth` checks that each protected operation refuses the request.
  const BUYER_ROUTES = '^/v1/(orders|products|inventory|auth/(register|login|refresh|me))';

  it("generated requests of every buyer's operation, with a buyer's token, find no failure of any check", async () => {
    const buyer = await newBuyer(h);
    const tested = await contractRun(buyer.session.accessToken, ['--include-path-regex', BUYER_ROUTES]);
    assert.ok(tested >= 13, `${tested} buyer operations`);
  });

  it("generated requests of every staff and public operation, with an admin's token, find no failure of any check", async () => {
    const tested = await contractRun(h.admin.session.accessToken, [
      '--exclude-path-regex',
      '^/v1/(orders|products|inventory|auth)',
    ]);
    assert.ok(tested >= 20, `${tested} staff and public operations`);
  });
});
