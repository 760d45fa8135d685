/**
 * Alerts: Alertmanager's webhook (authenticated by the bearer token it is configured with, alerts.webhookToken) and
 * the operators' list of what it delivered (`bin/doos alerts`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../lib/errors';
import type { AlertStore } from '../../lib/alerts/alert-store';
import { route, type RouteSpec } from '../route';
import { instant, intParam } from '../validation';
import { z } from '../zod';

export const ALERT_WEBHOOK_PATH = '/v1/alerts/webhook';
/** The largest notification taken: up to 200 alerts with their labels and annotations. */
export const ALERT_WEBHOOK_BODY = '4mb';

const labelMap = z.record(z.string().max(128), z.string().max(1024));
const notification = z
  .object({
    version: z.string().max(16),
    status: z.enum(['firing', 'resolved']),
    receiver: z.string().max(256),
    alerts: z
      .array(
        z.object({
          status: z.enum(['firing', 'resolved']),
          labels: labelMap,
          annotations: labelMap,
          startsAt: instant,
          endsAt: z.string().max(64),
          fingerprint: z.string().min(1).max(64),
        }),
      )
      .max(200),
  })
  .openapi('AlertmanagerNotification', {
    description: 'Alertmanager webhook payload (version 4); other fields ignored',
  });

const alertView = z
  .object({
    alertname: z.string(),
    severity: z.string(),
    status: z.enum(['firing', 'resolved']),
    summary: z.string(),
    labels: z.record(z.string(), z.string()),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    firstReceivedAt: z.string(),
    lastReceivedAt: z.string(),
    notifications: z.number().int(),
  })
  .openapi('Alert');

/** Compares by their SHA-256 digests: the same time whatever the lengths. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function alertRoutes(alerts: AlertStore, webhookToken: string): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: ALERT_WEBHOOK_PATH,
      tag: 'ops',
      summary: "Alertmanager's notifications: each alert recorded, firing or resolved",
      description: 'Authenticated by `Authorization: Bearer <alerts.webhookToken>` (Alertmanager `http_config`).',
      body: notification,
      responses: { 200: { description: 'recorded', schema: z.object({ recorded: z.number().int() }) } },
      errors: ['UNAUTHORIZED', 'SERVICE_UNAVAILABLE'],
      handle: async ({ body }, req) => {
        const header = req.headers.authorization ?? '';
        if (!header.startsWith('Bearer ') || !sameToken(header.slice('Bearer '.length), webhookToken)) {
          throw new AppError('UNAUTHORIZED', 'the alert webhook takes Alertmanager’s bearer token only');
        }
        return { body: { recorded: await alerts.record(body.alerts) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/admin/alerts',
      tag: 'ops',
      summary: 'alerts Alertmanager delivered, latest first',
      query: z
        .object({
          status: z.enum(['firing', 'resolved']).optional(),
          alertname: z.string().max(128).optional(),
          limit: intParam(1, 1000).default(50),
        })
        .strict(),
      responses: { 200: { description: 'alerts', schema: z.object({ items: z.array(alertView) }) } },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async ({ query }) => ({
        body: {
          items: await alerts.list({
            limit: query.limit,
            ...(query.status ? { status: query.status } : {}),
            ...(query.alertname ? { alertname: query.alertname } : {}),
          }),
        },
      }),
    }),
  ];
}
