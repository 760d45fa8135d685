import assert from 'node:assert/strict';
import { unavailableDependency } from '../../lib/errors/unavailable';

describe('a dependency that does not answer is told apart from a bug (503, not 500)', () => {
  it('recognises connection errors of the drivers, Prisma, Elasticsearch, Temporal and Kafka, also as causes', () => {
    const prismaPool = Object.assign(
      new Error('Database error. Code: `45028`. Message: `pool timeout: failed to retrieve a connection from pool`'),
      { name: 'PrismaClientKnownRequestError', code: 'P2010' },
    );
    for (const err of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('pool timeout'), { errno: 45028 }),
      prismaPool,
      Object.assign(new Error("Can't reach database server"), { name: 'PrismaClientInitializationError' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), { name: 'ConnectionError' }),
      Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }),
      new Error('wrapped', { cause: Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' }) }),
    ]) {
      assert.ok(unavailableDependency(err), err.message);
    }
  });

  it('leaves everything else to the 500 path', () => {
    for (const err of [
      new TypeError('x is undefined'),
      Object.assign(new Error('Unique constraint failed'), { name: 'PrismaClientKnownRequestError', code: 'P2002' }),
      Object.assign(new Error('Data too long'), { errno: 1406 }),
    ]) {
      assert.equal(unavailableDependency(err), undefined, err.message);
    }
  });
});
