/** A promise with a time limit: `promise`, or the error `onTimeout` makes once `ms` have passed without an answer. */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** `withDeadline` failing with "no answer within <ms> ms". */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  return withDeadline(promise, ms, () => new Error(`no answer within ${ms} ms`));
}
