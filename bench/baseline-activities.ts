/** The baseline workflow's activity: nothing but the round trip through Temporal. */
export function noop(): Promise<void> {
  return Promise.resolve();
}
