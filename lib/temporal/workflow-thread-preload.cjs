/**
 * Loaded (`--require`) into each workflow thread the Temporal SDK starts when workflow stack traces are off
 * (lib/temporal/workflow-threads.ts): the SDK's request for V8 promise hooks gets a hook that is never installed, so
 * it records no stack per promise. Every other caller (Node's AsyncLocalStorage among them) gets real hooks.
 */
'use strict';
const v8 = require('node:v8');

const createHook = v8.promiseHooks.createHook;
// Where stack traces are source-mapped (tsx), the caller shows as the SDK's src/workflow/vm-shared.ts.
const SDK_CALLER = /[\\/]@temporalio[\\/]worker[\\/](?:lib|src)[\\/]workflow[\\/]vm-shared\.[jt]s/;

v8.promiseHooks.createHook = function createHookUnlessForStackTraces(hooks) {
  if (SDK_CALLER.test(new Error().stack ?? '')) return () => undefined;
  return createHook(hooks);
};
