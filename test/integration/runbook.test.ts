import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { withStack } from '../support/stack';
import { runbookCommands, subcommandOf, type RunbookCommand } from '../support/runbook';
import { eventually, newBuyer, orderBody, seedSku, stockOf } from '../support/orders';
import { startPerShardWorkflows } from '../../lib/temporal/per-shard-workflows';
import { outboxRelayWorkflow } from '../../workflows/outbox-relay-definitions';
import { cdcIndexerWorkflow } from '../../workflows/cdc-indexer-definitions';

const root = path.resolve(__dirname, '..', '..');
const RUNBOOKS = ['README.md', 'docs/operations.md'];
/** Commands that change the saga they name: each gets an order of its own. */
const CHANGES = / workflow (cancel|terminate|reset) /;

describe('the runbooks: every temporal CLI command in README.md and docs/operations.md runs against the real server', function () {
  this.timeout(300_000);
  const h = withStack({ isolatedData: 'runbook', reconcile: { enabled: true } });

  it('runs each command as written (placeholders filled), and the repairs do what the runbook says', async () => {
    const commands: RunbookCommand[] = RUNBOOKS.flatMap((f) =>
      runbookCommands(readFileSync(path.join(root, f), 'utf8'), f),
    );
    assert.ok(commands.filter((c) => c.runnable).length >= 20, 'the runbooks were read');
    assert.equal(
      commands.some((c) => /\btctl\b/.test(c.command)),
      false,
      'tctl is end-of-life: the runbooks use temporal',
    );

    // What the commands act on: orders with sagas, the per-shard workflows, the reconciler's schedule (this
    // namespace's order worker created it at boot).
    for (const contract of [outboxRelayWorkflow, cdcIndexerWorkflow]) {
      await startPerShardWorkflows(h.resources.temporal, h.config, contract);
    }
    const sku = await seedSku(h, '1.50', 50);
    const buyer = await newBuyer(h);
    const correlationId = `runbook-${randomUUID()}`;
    const place = async (): Promise<string> => {
      // A remark of its own: the same order twice within 10 s is a duplicate submit.
      const body = orderBody([{ ...sku, quantity: 1 }], { remark: randomUUID() });
      const placed = await buyer.call('POST', '/v1/orders', body, {
        'x-request-id': `${correlationId}-${randomUUID().slice(0, 8)}`,
      });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      return placed.body.orderId as string;
    };
    const watched = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]), {
      'x-request-id': correlationId,
    });
    const orderId: string = watched.body.orderId;
    const changed = new Map<string, string>();

    const env = {
      ...process.env,
      TEMPORAL_NAMESPACE: h.config.temporal.namespace,
      DOOS_API_URL: h.baseUrl,
      DOOS_TOKEN: h.ops.session.accessToken,
    };
    const prelude = `CODEC="--codec-endpoint ${h.baseUrl}/v1/admin/temporal-codec --codec-auth"; `;
    const outputs = new Map<string, string>();
    for (const c of commands) {
      let command = c.runnable ? c.command : `${subcommandOf(c.command)} --help`;
      if (c.runnable) {
        let target = orderId;
        if (CHANGES.test(command)) {
          target = await place();
          changed.set(c.where + command, target);
        }
        command = command
          .replace(/--workflow-id <id>/g, `--workflow-id order:${target}`)
          .replace(/<orderId>/g, target)
          .replace(/<n>/g, '0')
          .replace(/CorrelationId='<id>'/g, `CorrelationId='${correlationId}'`)
          .replace(/<X-Request-Id of the request>/g, correlationId)
          .replace(/<now − 120 s, ISO 8601>/g, new Date(Date.now() - 120_000).toISOString())
          .replace(/"…"/g, '"runbook test"')
          .replace(/<(cause|fix|why)>/g, 'runbook test');
        assert.doesNotMatch(command, /<[a-zA-Z][^>]*>/, `${c.where}: a placeholder the test does not fill: ${command}`);
      }
      const run = await promisify(exec)(prelude + command, { cwd: root, env, shell: '/bin/bash' }).catch(
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      assert.equal(
        'code' in run ? run.code : 0,
        0,
        `${c.where}: ${command}\n${run.stdout}\n${'stderr' in run ? run.stderr : ''}`,
      );
      outputs.set(c.where + c.command, run.stdout);
    }

    // The runbook's lines did what they say.
    const decoded = [...outputs.entries()].find(([k]) => k.includes('--type status $CODEC'))?.[1] ?? '';
    assert.match(decoded, /"phase":\s*"PENDING_PAYMENT"/, 'the codec endpoint decodes the status answer');
    const byCorrelation = [...outputs.entries()].find(([k]) => k.includes('CorrelationId="<X-Request-Id'))?.[1] ?? '';
    assert.ok(byCorrelation.includes(`order:${orderId}`), 'the CorrelationId query finds the order it placed');
    for (const [where, target] of changed) {
      const order = (await h.ops.call('GET', `/v1/admin/orders/${target}`)).body;
      const description = await h.resources.temporal.workflow.getHandle(`order:${target}`).describe();
      if (where.includes(' workflow cancel ')) {
        const cancelled = await eventually(
          async () => (await h.ops.call('GET', `/v1/admin/orders/${target}`)).body,
          (o) => o.status === 'CANCELLED',
        );
        assert.equal(cancelled.status, 'CANCELLED', `${where}: the cancel cancels the order`);
      } else if (where.includes(' workflow terminate ')) {
        assert.equal(description.status.name, 'TERMINATED', where);
        assert.equal(order.status, 'PENDING_PAYMENT', `${where}: no compensation ran (the reconciler's job)`);
      } else {
        assert.equal(description.status.name, 'RUNNING', `${where}: the reset run goes on`);
        assert.equal(order.status, 'PENDING_PAYMENT', where);
      }
    }
    const cancels = [...changed.keys()].filter((k) => k.includes(' workflow cancel ')).length;
    const terminated = [...changed.keys()].filter((k) => k.includes(' workflow terminate ')).length;
    // Each cancel released its unit; each terminated order still holds its own until the reconciler settles it.
    const placedCount = 1 + changed.size;
    assert.deepEqual(
      await eventually(
        () => stockOf(h, sku),
        (s) => s.locked === placedCount - cancels,
      ),
      {
        available: 50 - placedCount + cancels,
        locked: placedCount - cancels,
        total: 50,
      },
    );
    assert.ok(terminated >= 1 && cancels >= 1);
  });
});
