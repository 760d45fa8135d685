import assert from 'node:assert/strict';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type {
  LocalActivityInput,
  SignalInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { correlationIdOf, TRACE_CONTEXT_HEADER } from '../../lib/temporal/correlation-header';
import { interceptors } from '../../workflows/correlation-interceptors';

const trace = (id: string): Payload =>
  defaultPayloadConverter.toPayload({ traceparent: `00-${id}-0000000000000001-01` });

describe('workflow interceptors: the headers a workflow forwards to its activities', () => {
  const made = interceptors();
  const inbound = made.inbound![0] as Required<WorkflowInboundCallsInterceptor>;
  const outbound = made.outbound![0] as Required<WorkflowOutboundCallsInterceptor>;
  const scheduled = async (headers: Record<string, Payload> = {}): Promise<Record<string, Payload>> => {
    let sent: Record<string, Payload> = {};
    const input = { headers, activityType: 'reserveStock', args: [] } as unknown as LocalActivityInput;
    await outbound.scheduleLocalActivity(input, (i) => {
      sent = i.headers;
      return Promise.resolve(undefined);
    });
    return sent;
  };

  it('uses the header OpenTelemetry’s Temporal interceptors read', () => {
    assert.equal(TRACE_CONTEXT_HEADER, TRACE_HEADER);
  });

  it('an activity carries the correlation id and the trace context of the latest start, update or signal', async () => {
    const start = {
      args: [{ orderId: '7', correlationId: 'req-1' }],
      headers: { [TRACE_CONTEXT_HEADER]: trace('a'.repeat(32)) },
    } as unknown as WorkflowExecuteInput;
    await inbound.execute(start, () => Promise.resolve(undefined));
    const first = await scheduled();
    assert.equal(correlationIdOf(first), 'req-1');
    assert.deepEqual(first[TRACE_CONTEXT_HEADER], trace('a'.repeat(32)));

    const pay = { headers: { [TRACE_CONTEXT_HEADER]: trace('b'.repeat(32)) } } as unknown as UpdateInput;
    await inbound.handleUpdate(pay, () => Promise.resolve(undefined));
    assert.deepEqual((await scheduled())[TRACE_CONTEXT_HEADER], trace('b'.repeat(32)), 'the update’s trace');

    const untraced = { headers: {} } as unknown as SignalInput;
    await inbound.handleSignal(untraced, () => Promise.resolve());
    assert.deepEqual((await scheduled())[TRACE_CONTEXT_HEADER], trace('b'.repeat(32)), 'kept when a call brings none');

    const own = trace('c'.repeat(32));
    assert.deepEqual((await scheduled({ [TRACE_CONTEXT_HEADER]: own }))[TRACE_CONTEXT_HEADER], own, 'never replaced');
  });
});
