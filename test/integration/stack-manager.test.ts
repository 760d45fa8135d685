import assert from 'node:assert/strict';
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const stack = path.resolve(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');

interface Run {
  status: number | null;
  out: string;
}

/** Runs stack.sh against its own DOOS_HOME so nothing of the shared stack is touched. */
function runStack(home: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync('bash', [stack, ...args], {
    env: { ...process.env, DOOS_HOME: home, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('native stack manager (deployments/native/stack.sh)', function () {
  this.timeout(90_000);
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'doos-stack-'));
  });

  afterEach(() => {
    runStack(home, ['down', 'redis']);
    rmSync(home, { recursive: true, force: true });
  });

  it('when the port is taken by a foreign process, up fails naming the component, the holder and the variable', async () => {
    const holder: Server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const port = (holder.address() as AddressInfo).port;
    try {
      const r = runStack(home, ['up', 'redis'], { DOOS_REDIS_PORT: String(port) });
      assert.equal(r.status, 1);
      assert.match(r.out, new RegExp(`redis: port ${port} is already taken by \\d+ node .*DOOS_REDIS_PORT`));
    } finally {
      holder.close();
    }
  });

  it('when a server exits during start-up, up fails naming it and its log, with the log tail', () => {
    const bin = path.join(home, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'redis-server'),
      '#!/bin/sh\necho "FATAL: cannot open data dir (simulated)" >&2\nexit 3\n',
    );
    chmodSync(path.join(bin, 'redis-server'), 0o755);
    return freePort().then((port) => {
      const r = runStack(home, ['up', 'redis'], {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        DOOS_REDIS_PORT: String(port),
      });
      assert.equal(r.status, 1);
      assert.match(r.out, /redis exited during start-up; log: .*\/run\/logs\/redis\.log/);
      assert.match(r.out, /FATAL: cannot open data dir \(simulated\)/);
    });
  });

  it('up starts a healthy server and is idempotent; down stops it and leaves a foreign process alone', async () => {
    const port = await freePort();
    const env = { DOOS_REDIS_PORT: String(port) };
    const first = runStack(home, ['up', 'redis'], env);
    assert.equal(first.status, 0, first.out);
    assert.match(first.out, new RegExp(`redis up on 127\\.0\\.0\\.1:${port}`));
    const second = runStack(home, ['up', 'redis'], env);
    assert.match(second.out, /redis already running/);
    const status = runStack(home, ['status'], env);
    assert.equal(status.status, 0, status.out);
    assert.match(status.out, new RegExp(`redis\\s+running\\s+${port}\\s+\\d+`));

    const down = runStack(home, ['down', 'redis'], env);
    assert.equal(down.status, 0, down.out);
    assert.match(down.out, /stopping redis \(pid \d+\)/);
    assert.match(runStack(home, ['status'], env).out, /redis\s+stopped/);
    assert.equal(
      spawnSync('redis-cli', ['-p', String(port), 'ping']).status,
      1,
      'nothing answers on the port any more',
    );

    // A pid file whose pid now belongs to another process (pid reuse) must not make `down` kill that process.
    const foreign: ChildProcess = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(home, 'run', 'pids', 'redis.pid'), `${foreign.pid} 1\n`);
      assert.match(runStack(home, ['status'], env).out, /redis\s+stopped/);
      runStack(home, ['down', 'redis'], env);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(foreign.exitCode, null, 'the foreign process is still running');
      assert.equal(foreign.signalCode, null);
    } finally {
      foreign.kill();
    }
  });

  it('two up at once start the server once, and the server started does not hold the lock', async () => {
    const port = await freePort();
    const env = { ...process.env, DOOS_HOME: home, DOOS_REDIS_PORT: String(port) };
    const upAsync = (): Promise<string> =>
      new Promise((resolve) => {
        const child = spawn('bash', [stack, 'up', 'redis'], { env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => resolve(`exit ${code}\n${out}`));
      });
    const outs = await Promise.all([upAsync(), upAsync()]);
    for (const out of outs) assert.match(out, /^exit 0/, out);
    assert.equal(outs.filter((o) => /redis up on/.test(o)).length, 1, outs.join('\n---\n'));
    assert.equal(outs.filter((o) => /redis already running/.test(o)).length, 1, outs.join('\n---\n'));
    // A later call is not held up by the running server (the lock went with the `up` that took it).
    const started = Date.now();
    const down = runStack(home, ['down', 'redis'], { DOOS_REDIS_PORT: String(port) });
    assert.equal(down.status, 0, down.out);
    assert.ok(Date.now() - started < 10_000, `down took ${Date.now() - started} ms`);
  });

  it('status lists every process of the stack with its port, running or not, and exits 0', () => {
    const r = runStack(home, ['status']);
    assert.equal(r.status, 0, r.out);
    const ports: Record<string, string> = {
      'mariadb-shard0': '3306',
      'mariadb-shard1': '3307',
      'mariadb-inventory': '3308',
      redis: '6379',
      etcd: '2379',
      kafka: '9092',
      elasticsearch: '9200',
      temporal: '7233',
      prometheus: '9090',
      api: '8081',
      'order-worker': '9464',
      'relay-worker': '9465',
      'cdc-worker': '9466',
      'inventory-consumer': '9467',
    };
    for (const [name, port] of Object.entries(ports)) {
      assert.match(r.out, new RegExp(`^${name}\\s+stopped\\s+${port}\\s`, 'm'), `${name} on ${port}`);
    }
    assert.match(r.out, /^total RSS: 0 MiB$/m);
  });
});
