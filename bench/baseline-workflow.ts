/**
 * Baseline of the order benchmark: the shape of the saga's synchronous part — two local activities, then an update
 * answered — with activities that do nothing, so its throughput is what Temporal alone allows on this machine.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type * as activities from './baseline-activities';

const { noop } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

export const baselineCreated = defineUpdate<string>('created');

/** Two no-op activities, the `created` update answered, then a timer like the saga's payment wait. */
export async function baselineWorkflow(id: string, waitSeconds: number): Promise<string> {
  let created = false;
  setHandler(baselineCreated, async () => {
    await condition(() => created);
    return id;
  });
  await noop();
  await noop();
  created = true;
  await sleep(waitSeconds * 1000);
  return id;
}
