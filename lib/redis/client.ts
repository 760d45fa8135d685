/** The Redis client of a DOOS process (duplicate-submit guards, rate limits, caches). */
import { Redis } from 'ioredis';
import type { Config } from '../config';

/** A client on config.redis.url whose keys all carry config.redis.keyPrefix. */
export function createRedis(config: Pick<Config, 'redis'>): Redis {
  return new Redis(config.redis.url, { keyPrefix: config.redis.keyPrefix, maxRetriesPerRequest: 3, lazyConnect: false });
}
