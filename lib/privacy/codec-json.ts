/**
 * Payloads as the Temporal codec-server protocol carries them (what the Web UI and `temporal --codec-endpoint` POST to
 * `<endpoint>/encode` and `/decode`): `{ "payloads": [ { "metadata": { "<key>": "<base64>" }, "data": "<base64>" } ] }`.
 */
import type { Payload } from '@temporalio/common';

export interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

export function payloadsFromJson(payloads: readonly PayloadJson[]): Payload[] {
  return payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));
}

export function payloadsToJson(payloads: readonly Payload[]): PayloadJson[] {
  return payloads.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  }));
}
