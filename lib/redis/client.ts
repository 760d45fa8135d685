/** The Redis client of a DOOS process (duplicate-submit guards, caches; all through lib/redis/fast-path.ts). */
import { Redis } from 'ioredis';
import type { Config } from '../config';

/** A command that has no answer within this time fails (a server that stopped answering, not only one that is gone). */
const COMMAND_TIMEOUT_MS = 1000;

/** A client on config.redis.url whose keys all carry config.redis.keyPrefix. */
export function createRedis(config: Pick<Config, 'redis'>): Redis {
  const redis = new Redis(config.redis.url, {
    keyPrefix: config.redis.keyPrefix,
    // One reconnection attempt per command at most: callers have a fallback and should use it rather than wait.
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  // Connection errors surface on the commands that fail (and in /ready); without a listener ioredis prints each retry.
  redis.on('error', () => undefined);
  return redis;
}
