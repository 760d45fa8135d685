/** `doos alerts [--status firing|resolved] [--limit N]`: what Alertmanager delivered to the API, latest first. */
import type { AlertView } from '../lib/alerts/alert-store';
import { api, table, UsageError, type ApiBase } from './output';

export const ALERTS_USAGE = `  doos alerts [--status firing|resolved] [--limit N]
                                        alerts Alertmanager delivered (STATUS, ALERT, SEVERITY, SINCE, UNTIL, LAST, SUMMARY)`;

export async function alertsCommand(base: ApiBase, values: { status?: string; limit?: string }): Promise<void> {
  if (values.status && values.status !== 'firing' && values.status !== 'resolved') {
    throw new UsageError('--status is firing or resolved');
  }
  const q = new URLSearchParams();
  if (values.status) q.set('status', values.status);
  if (values.limit) q.set('limit', values.limit);
  const { items } = (await api(base, 'GET', `/v1/admin/alerts?${q.toString()}`)) as { items: AlertView[] };
  if (items.length > 0) {
    console.log(
      table([
        ['STATUS', 'ALERT', 'SEVERITY', 'SINCE', 'UNTIL', 'LAST NOTIFIED', 'SUMMARY'],
        ...items.map((a) => [
          a.status,
          a.alertname,
          a.severity,
          a.startsAt,
          a.endsAt ?? '-',
          a.lastReceivedAt,
          a.summary.slice(0, 100),
        ]),
      ]),
    );
  }
  console.log(`${items.length} alert(s)`);
}
