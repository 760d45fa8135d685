/**
 * The one place that knows which search server DOOS talks to (Elasticsearch 8); everything else uses this module,
 * so a switch of client is a one-file change.
 */
import { Client } from '@elastic/elasticsearch';
import type { Config } from '../config';

export type SearchClient = Client;

/** A client on config.elasticsearch.node. */
export function createSearchClient(config: Pick<Config, 'elasticsearch'>): SearchClient {
  return new Client({ node: config.elasticsearch.node, requestTimeout: 30_000, maxRetries: 3 });
}
