/**
 * The Temporal SDK records a stack trace for every promise a workflow creates, for the stack trace query (the Web
 * UI's "Stack Trace" tab, `temporal workflow stack`). It is the largest single cost of a saga's workflow code —
 * about half of it, measured by `npx tsx bench/workflow-cpu.ts` (docs/architecture.md "Performance"; the SDK's own
 * issue is temporalio/sdk-typescript#1587). The SDK treats the traces as optional (it runs without them where V8 has
 * no promise hooks); with `temporal.workflowStackTraces` off, the workflow threads it starts load
 * workflow-thread-preload.cjs, which withholds the hooks from it alone. Operators see where a saga waits in its
 * status query (`doos saga show`) either way; they turn the traces on for a worker when they need the SDK's view.
 */
import { pathToFileURL } from 'node:url';
import workerThreads, { type WorkerOptions } from 'node:worker_threads';

const SDK_WORKFLOW_THREAD = /[\\/]@temporalio[\\/]worker[\\/]lib[\\/]workflow[\\/]workflow-worker-thread\.js$/;
const PRELOAD = require.resolve('./workflow-thread-preload.cjs');

let configured: boolean | undefined;

/**
 * Decides, once per process and before its first worker is created, whether the SDK's workflow threads record
 * promise stack traces. A later call with another choice throws: threads already started cannot change.
 */
export function configureWorkflowThreads(stackTraces: boolean): void {
  if (configured !== undefined) {
    if (configured !== stackTraces) throw new Error('workflow stack traces were already configured the other way');
    return;
  }
  configured = stackTraces;
  if (stackTraces) return;
  const SdkWorker = workerThreads.Worker;
  class WorkflowThread extends SdkWorker {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      const sdkThread = typeof filename === 'string' && SDK_WORKFLOW_THREAD.test(filename);
      const execArgv = [...(options.execArgv ?? process.execArgv), '--require', PRELOAD];
      super(filename, sdkThread ? { ...options, execArgv } : options);
    }
  }
  // The SDK reads the class from the module when it starts its threads (lib/workflow/threaded-vm.js).
  (workerThreads as { Worker: typeof SdkWorker }).Worker = WorkflowThread;
}

/** Withholds the hooks in this thread too, for workflows the SDK runs in its caller's thread (history replays). */
export async function withholdStackTracesInThisThread(): Promise<void> {
  await import(pathToFileURL(PRELOAD).href);
}
