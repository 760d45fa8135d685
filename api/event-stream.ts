/**
 * Server-sent events on an HTTP response (text/event-stream): the headers that keep proxies from buffering it, one
 * event per `send`, a comment every 15 s so an idle connection is not cut, and the end of both sides.
 */
import type { Request, Response } from 'express';

export const HEARTBEAT_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown): void;
  end(): void;
}

/** Opens the stream with status 200; `onClose` runs once, whether the client left or the server ended it. */
export function openEventStream(req: Request, res: Response, onClose: () => void): EventStream {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  // How long a browser's EventSource waits before it reconnects.
  res.write('retry: 3000\n\n');
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClose();
  };
  req.on('close', close);
  return {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      close();
      res.end();
    },
  };
}
