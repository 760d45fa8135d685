import assert from 'node:assert/strict';
import { partitionLag } from '../../lib/metrics/consumer-metrics';

describe('consumer lag of a partition', () => {
  it('is the distance from the committed offset to the log end', () => {
    assert.equal(partitionLag({ partition: 0, low: 0n, high: 120n, committed: 100n }), 20n);
    assert.equal(partitionLag({ partition: 0, low: 0n, high: 120n, committed: 120n }), 0n);
  });

  it('counts from the log start when the group has committed nothing, or only offsets already deleted', () => {
    assert.equal(partitionLag({ partition: 1, low: 30n, high: 50n, committed: null }), 20n);
    assert.equal(partitionLag({ partition: 1, low: 30n, high: 50n, committed: 10n }), 20n);
  });

  it('is never negative', () => {
    assert.equal(partitionLag({ partition: 2, low: 0n, high: 5n, committed: 9n }), 0n);
  });
});
