/** Mounts an Express app on an ephemeral loopback port for tests and closes it afterwards. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningApp {
  baseUrl: string;
  close(): Promise<void>;
}

export function listen(app: Express): Promise<RunningApp> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
    server.on('error', reject);
  });
}

/** A server listening on an ephemeral loopback port before its app exists (the app's config may need its URL). */
export interface OpenServer {
  baseUrl: string;
  serve(app: Express): RunningApp;
}

export function openServer(): Promise<OpenServer> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const baseUrl = `http://127.0.0.1:${port}`;
      resolve({
        baseUrl,
        serve: (app) => {
          server.on('request', app);
          return { baseUrl, close: () => new Promise((done) => server.close(() => done())) };
        },
      });
    });
    server.on('error', reject);
  });
}
