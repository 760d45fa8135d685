/** Configuration for tests: config/dev.yaml (the native stack) with the caller's DOOS_* overrides. */
import { loadConfig, type Config } from '../../lib/config';

let cached: Config | undefined;

/** The validated configuration the tests run against. */
export function testConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/** A name no other test run uses, for topics, indexes, task queues and keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** What a prod deployment must set besides DOOS_ENV (its secrets), with values that are not development keys. */
export const PROD_ENV: NodeJS.ProcessEnv = {
  DOOS_ENV: 'prod',
  DOOS_AUTH_SIGNING_KEYS: 'prod-1:a-secret-of-the-deployment-0123456789abcdef',
  DOOS_PRIVACY_KEYS: 'prod-1:uOu1C9wUys00rLDwmtl4TbtQz3eQFFgDAD7VotursBM=',
  DOOS_PAYMENTS_CALLBACK_SECRET: 'a-secret-shared-with-the-payment-provider-0123',
  DOOS_ALERTS_WEBHOOK_TOKEN: 'a-token-alertmanager-presents-to-the-api-012345',
};
