/** Typed, validated DOOS configuration. */
export { configSchema, type Config } from './schema';
export { loadConfig, envNameFor, ConfigError, CONFIG_DIR, type LoadConfigOptions } from './load';
