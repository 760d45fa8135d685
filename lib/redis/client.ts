/** The Redis client of a DOOS process (duplicate-submit guards, rate limits, caches). */
import { Redis } from 'ioredis';
import type { Config } from '../config';

/** A client on config.redis.url whose keys all carry config.redis.keyPrefix. */
export function createRedis(config: Pick<Config, 'redis'>): Redis {
  const redis = new Redis(config.redis.url, { keyPrefix: config.redis.keyPrefix, maxRetriesPerRequest: 3 });
  // Connection errors surface on the commands that fail (and in /ready); without a listener ioredis prints each retry.
  redis.on('error', () => undefined);
  return redis;
}
