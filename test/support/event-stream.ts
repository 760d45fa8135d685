/** Reads a server-sent event stream as a browser's fetch would (bearer token in a header), keeping every event. */

export interface StreamEvent {
  event: string;
  data: unknown;
}

export interface OpenStream {
  status: number;
  headers: Headers;
  /** The body of a refused request (JSON), or undefined when the stream opened. */
  refusal: unknown;
  events: StreamEvent[];
  /** Resolves with the first event (already received or to come) that passes the check. */
  next(check: (e: StreamEvent) => boolean, ms?: number): Promise<StreamEvent>;
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): void;
}

export async function openEventStream(url: string, token: string): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const waiting = new Set<() => void>();
  let done = false;
  if (res.status !== 200 || !res.body) {
    return {
      status: res.status,
      headers: res.headers,
      refusal: await res.json().catch(() => undefined),
      events,
      next: () => Promise.reject(new Error(`the stream was refused with ${res.status}`)),
      ended: () => true,
      close: () => undefined,
    };
  }
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data !== undefined) events.push({ event, data: JSON.parse(data) as unknown });
          for (const w of waiting) w();
        }
      }
    } catch {
      // aborted by close()
    }
    done = true;
    for (const w of waiting) w();
  })();
  return {
    status: 200,
    headers: res.headers,
    refusal: undefined,
    events,
    ended: () => done,
    close: () => abort.abort(),
    next(check, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = events.find(check);
          if (found) finish(() => resolve(found));
          else if (done) finish(() => reject(new Error(`the stream ended; events: ${JSON.stringify(events)}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no such event in ${ms} ms; events: ${JSON.stringify(events)}`))),
          ms,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiting.delete(look);
          settle();
        };
        waiting.add(look);
        look();
      });
    },
  };
}
