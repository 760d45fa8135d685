import assert from 'node:assert/strict';
import { parseMysqlDsn, redactDsn } from '../../lib/db/dsn';
import { checkDependencies } from '../../lib/health/dependencies';
import { ShardHealth } from '../../lib/db/shard-health';

describe('MySQL DSNs', () => {
  it('splits a DSN into host, port, user, password and database, decoding escapes', () => {
    assert.deepEqual(parseMysqlDsn('mysql://doos:p%40ss@db.local:3307/doos_order_1'), {
      host: 'db.local',
      port: 3307,
      user: 'doos',
      password: 'p@ss',
      database: 'doos_order_1',
    });
  });

  it('defaults the port to 3306 and refuses a DSN without database or of another scheme', () => {
    assert.equal(parseMysqlDsn('mysql://u:p@h/db').port, 3306);
    assert.throws(() => parseMysqlDsn('mysql://u:p@h:3306/'), /names no database/);
    assert.throws(() => parseMysqlDsn('postgres://u:secret@h/db'), /not a mysql:\/\/ DSN: postgres:\/\/u:\*\*\*@h\/db/);
  });

  it('hides the password in messages', () => {
    assert.equal(redactDsn('mysql://doos:secret@h:1/db'), 'mysql://doos:***@h:1/db');
  });
});

describe('readiness checks', () => {
  it('is ready only when every required check answers; a failing one carries its error', async () => {
    const report = await checkDependencies([
      { name: 'up', required: true, check: () => Promise.resolve('pong') },
      { name: 'down', required: true, check: () => Promise.reject(new Error('ECONNREFUSED')) },
    ]);
    assert.equal(report.ready, false);
    assert.deepEqual(report.degraded, []);
    assert.deepEqual(
      report.dependencies.map((d) => [d.name, d.ok, d.error]),
      [
        ['up', true, undefined],
        ['down', false, 'ECONNREFUSED'],
      ],
    );
  });

  it('an optional dependency that does not answer degrades the process without making it unready', async () => {
    const report = await checkDependencies([
      { name: 'needed', required: true, check: () => Promise.resolve('pong') },
      { name: 'cache', required: false, check: () => Promise.reject(new Error('ECONNREFUSED')) },
    ]);
    assert.equal(report.ready, true);
    assert.deepEqual(report.degraded, ['cache']);
  });

  it('a check that hangs is reported as not answering within the time limit', async () => {
    const report = await checkDependencies(
      [{ name: 'hung', required: true, check: () => new Promise(() => undefined) }],
      50,
    );
    assert.equal(report.ready, false);
    assert.equal(report.dependencies[0]?.error, 'no answer within 50 ms');
  });
});

describe('shard health (the API refuses a down shard at once)', () => {
  const never = () => new Promise<never>(() => undefined);
  const refused = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3306'));
  const answers = () => Promise.resolve(1);

  it('a shard that refuses connections is down at once, with the error, and up again at its next answer', async () => {
    let probe: () => Promise<unknown> = refused;
    const health = new ShardHealth([answers, () => probe()], 1000, 20, 3);
    await health.probeAll();
    assert.equal(health.downReason(0), undefined);
    assert.equal(health.downReason(1), 'connect ECONNREFUSED 127.0.0.1:3306');
    probe = answers;
    await health.probeAll();
    assert.equal(health.downReason(1), undefined);
  });

  it('a shard that answers late is down only after three late probes in a row; an answer between starts again', async () => {
    let probe: () => Promise<unknown> = never;
    const health = new ShardHealth([() => probe()], 1000, 20, 3);
    await health.probeAll();
    await health.probeAll();
    assert.equal(health.downReason(0), undefined, 'two late answers: a busy machine, not a down shard');
    probe = answers;
    await health.probeAll();
    probe = never;
    await health.probeAll();
    await health.probeAll();
    assert.equal(health.downReason(0), undefined, 'the count starts again after an answer');
    await health.probeAll();
    assert.equal(health.downReason(0), 'no answer within 20 ms');
  });
});
