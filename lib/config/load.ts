/** Loads config/<env>.yaml, applies DOOS_* environment overrides and validates it, failing fast on the bad key. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema';

/** Raised at start-up when the configuration cannot be used; the message names every bad key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Environment to read DOOS_ENV, DOOS_CONFIG and overrides from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Explicit YAML file; otherwise DOOS_CONFIG, otherwise config/<DOOS_ENV or dev>.yaml. */
  file?: string;
}

export const CONFIG_DIR = path.resolve(__dirname, '..', '..', 'config');

/** DOOS_ + the key path in upper snake case: temporal.taskQueues.orders → DOOS_TEMPORAL_TASK_QUEUES_ORDERS. */
export function envNameFor(keyPath: readonly string[]): string {
  return ['DOOS', ...keyPath.map((k) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())].join('_');
}

type Yaml = null | boolean | number | string | Yaml[] | { [key: string]: Yaml };

function coerce(raw: string, like: Yaml): Yaml {
  if (Array.isArray(like)) {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return items.map((item) => coerce(item, like[0] ?? ''));
  }
  if (typeof like === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (typeof like === 'boolean') {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return raw;
  }
  return raw;
}

/** Replaces every leaf that has a DOOS_* variable; returns the variables used, by dotted key. */
function applyEnvOverrides(
  node: { [key: string]: Yaml },
  env: NodeJS.ProcessEnv,
  prefix: string[],
  used: Map<string, string>,
): void {
  for (const [key, value] of Object.entries(node)) {
    const keyPath = [...prefix, key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      applyEnvOverrides(value, env, keyPath, used);
      continue;
    }
    const name = envNameFor(keyPath);
    const raw = env[name];
    if (raw !== undefined) {
      node[key] = coerce(raw, value);
      used.set(keyPath.join('.'), name);
    }
  }
}

/** Reads, overrides and validates the configuration; throws ConfigError naming each bad key. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.DOOS_CONFIG ?? path.join(CONFIG_DIR, `${env.DOOS_ENV ?? 'dev'}.yaml`);
  let doc: Yaml;
  try {
    doc = parseYaml(readFileSync(file, 'utf8')) as Yaml;
  } catch (err) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(`configuration file ${file} must hold a mapping of keys`);
  }
  const used = new Map<string, string>();
  applyEnvOverrides(doc, env, [], used);
  const result = configSchema.safeParse(doc);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const from = used.get(key);
      return `  ${key}: ${issue.message}${from ? ` (from ${from})` : ''}`;
    });
    throw new ConfigError(`invalid configuration in ${file}:\n${lines.join('\n')}`);
  }
  return result.data;
}
