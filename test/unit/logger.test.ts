import assert from 'node:assert/strict';
import { createLogger, logOf } from '../../lib/log/logger';

describe('process logs: one JSON line per event (pino)', () => {
  it('each line has an ISO time, the level by name, the process, the message and the fields; lower levels are dropped', () => {
    const lines: string[] = [];
    const log = logOf(createLogger('order-worker', 'info', { write: (line: string) => lines.push(line) }));
    log('info', 'order created', { orderId: '42', userId: '7', workflowId: 'order:42', correlationId: 'req-1' });
    log('debug', 'not at info');
    log.logger.level = 'debug';
    log('debug', 'now at debug');
    const [first, second, third] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    assert.equal(third, undefined);
    assert.match(String(first!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(
      { level: first!.level, process: first!.process, msg: first!.msg, orderId: first!.orderId },
      { level: 'info', process: 'order-worker', msg: 'order created', orderId: '42' },
    );
    assert.equal(first!.correlationId, 'req-1');
    assert.equal(second!.msg, 'now at debug');
    assert.equal(second!.level, 'debug');
  });
});
