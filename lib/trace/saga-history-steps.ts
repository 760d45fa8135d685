/**
 * The steps of a saga's history that a person following an order wants: the saga started (by the API), each update
 * (pay, cancel, ship, complete) accepted and done, each local or remote activity done or failed (with its attempt),
 * timers fired, signals, cancel requests, failing workflow tasks, and how the saga closed. Local activities are read
 * from their markers' `data` detail, which the SDK's core writes as plain JSON (the result beside it is encrypted).
 */
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { TraceStep } from './trace-step';

type Event = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

const CLOSED: Partial<Record<number, string>> = {
  [T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: 'saga completed',
  [T.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: 'saga failed',
  [T.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: 'saga cancelled',
  [T.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: 'saga terminated',
  [T.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: 'saga timed out',
  [T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: 'saga continued as new',
};

const iso = (ms: number): string => new Date(ms).toISOString();
const textOf = (data: Uint8Array | null | undefined): string => (data ? Buffer.from(data).toString('utf8') : '');

interface LocalActivityMarker {
  activity_type?: string;
  attempt?: number;
  complete_time?: { seconds?: number; nanos?: number };
}

function localActivityStep(event: Event, at: number): TraceStep | undefined {
  const attrs = event.markerRecordedEventAttributes;
  if (attrs?.markerName !== 'core_local_activity') return undefined;
  const data = attrs.details?.data?.payloads?.[0];
  let marker: LocalActivityMarker = {};
  try {
    marker = JSON.parse(textOf(data?.data)) as LocalActivityMarker;
  } catch {
    // not plain JSON: the step is still shown, without its type
  }
  const done = marker.complete_time?.seconds
    ? marker.complete_time.seconds * 1000 + (marker.complete_time.nanos ?? 0) / 1e6
    : at;
  const failed = Boolean(attrs.failure);
  return {
    at: iso(done),
    process: 'order-worker',
    step: `${marker.activity_type ?? 'local activity'} ${failed ? 'failed' : 'done'}`,
    detail: [
      `local activity, attempt ${marker.attempt ?? 1}`,
      ...(failed ? [attrs.failure?.message ?? 'failed'] : []),
    ].join('; '),
  };
}

/** The steps of a saga's history, in history order. */
export function sagaHistorySteps(events: readonly Event[]): TraceStep[] {
  const steps: TraceStep[] = [];
  const activityTypes = new Map<string, string>();
  const updateNames = new Map<string, string>();
  for (const event of events) {
    const at = tsToMs(event.eventTime);
    const step = (process: string, what: string, detail?: string): void => {
      steps.push({ at: iso(at), process, step: what, ...(detail ? { detail } : {}) });
    };
    switch (event.eventType) {
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        step('api', 'saga started', event.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined);
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const a = event.workflowExecutionUpdateAcceptedEventAttributes;
        const name = a?.acceptedRequest?.input?.name ?? 'update';
        if (a?.protocolInstanceId) updateNames.set(a.protocolInstanceId, name);
        step('order-worker', `${name} accepted`);
        break;
      }
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const a = event.workflowExecutionUpdateCompletedEventAttributes;
        const name = updateNames.get(a?.meta?.updateId ?? '') ?? 'update';
        const failure = a?.outcome?.failure;
        step('order-worker', `${name} ${failure ? 'refused' : 'done'}`, failure?.message ?? undefined);
        break;
      }
      case T.EVENT_TYPE_MARKER_RECORDED: {
        const la = localActivityStep(event, at);
        if (la) steps.push(la);
        break;
      }
      case T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const a = event.activityTaskScheduledEventAttributes;
        activityTypes.set(String(event.eventId), a?.activityType?.name ?? 'activity');
        break;
      }
      case T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        step(
          'order-worker',
          `${activityTypes.get(String(event.activityTaskCompletedEventAttributes?.scheduledEventId)) ?? 'activity'} done`,
        );
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const a = event.activityTaskFailedEventAttributes;
        step(
          'order-worker',
          `${activityTypes.get(String(a?.scheduledEventId)) ?? 'activity'} failed`,
          a?.failure?.message ?? undefined,
        );
        break;
      }
      case T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        step(
          'order-worker',
          `${activityTypes.get(String(event.activityTaskTimedOutEventAttributes?.scheduledEventId)) ?? 'activity'} timed out`,
        );
        break;
      case T.EVENT_TYPE_TIMER_FIRED:
        step('order-worker', 'timer fired', `timer ${event.timerFiredEventAttributes?.timerId ?? ''}`.trim());
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        step('operator', `signal ${event.workflowExecutionSignaledEventAttributes?.signalName ?? ''}`.trim());
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        step('operator', 'cancel requested', event.workflowExecutionCancelRequestedEventAttributes?.cause ?? undefined);
        break;
      case T.EVENT_TYPE_WORKFLOW_TASK_FAILED:
        step(
          'order-worker',
          'workflow task failed',
          event.workflowTaskFailedEventAttributes?.failure?.message ?? undefined,
        );
        break;
      default: {
        const closed = CLOSED[event.eventType ?? 0];
        if (closed) {
          const reason =
            event.workflowExecutionTerminatedEventAttributes?.reason ??
            event.workflowExecutionFailedEventAttributes?.failure?.message ??
            undefined;
          step(
            event.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED ? 'operator' : 'order-worker',
            closed,
            reason,
          );
        }
      }
    }
  }
  return steps;
}
