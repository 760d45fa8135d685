/** GET /v1/admin/figures: the figures of the ops console (lib/metrics/figures.ts), from Prometheus. */
import { AppError } from '../../lib/errors';
import { readFigures } from '../../lib/metrics/figures';
import { route, type RouteSpec } from '../route';
import { z } from '../zod';

const figure = z
  .object({
    name: z.string(),
    unit: z.enum(['per second', 'seconds', 'messages', 'rows']),
    value: z.number().nullable().openapi({ description: 'null: no samples in the window' }),
    query: z.string().openapi({ description: 'the PromQL expression, to open in Prometheus' }),
  })
  .openapi('Figure');

export function figureRoutes(prometheusUrl: string): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/admin/figures',
      tag: 'ops',
      summary:
        'order rate, POST /v1/orders p99, relay lag p99 and backlog, CDC lag p99 and consumer lag, now, from Prometheus',
      query: z.object({}).strict(),
      responses: {
        200: {
          description: 'the figures',
          schema: z.object({ prometheusUrl: z.string(), at: z.string(), figures: z.array(figure) }),
        },
      },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async () => {
        try {
          const figures = await readFigures(prometheusUrl);
          return { body: { prometheusUrl, at: new Date().toISOString(), figures } };
        } catch (err) {
          throw new AppError('SERVICE_UNAVAILABLE', `Prometheus cannot be asked: ${(err as Error).message}`);
        }
      },
    }),
  ];
}
