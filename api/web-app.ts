/**
 * The web front end (web/, built by Vite into web/dist) served by the API at `/`: one origin, so the browser calls
 * /v1 with no CORS. Hashed assets are cached for a year; any other GET that asks for HTML and is not an API path
 * gets index.html (the front end's own routes: /orders/123 on a reload), gzipped for the browsers that take it.
 * Without a build nothing is served here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type RequestHandler } from 'express';

export const WEB_DIST = path.resolve(__dirname, '..', 'web', 'dist');

/** Paths the front end never owns: the API, its documents and the probes. */
const NOT_THE_APP = /^\/(v1|docs|metrics|health|ready)(\/|$)/;

export function webApp(dist: string = WEB_DIST): RequestHandler[] {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) return [];
  const assets = express.static(dist, {
    index: false,
    setHeaders: (res, file) => {
      if (file.includes(`${path.sep}assets${path.sep}`))
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  const page: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_APP.test(req.path) || !req.accepts('html')) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  const gzip = compression();
  const app: RequestHandler = (req, res, next) => {
    if (NOT_THE_APP.test(req.path)) {
      next();
      return;
    }
    gzip(req, res, next);
  };
  return [app, assets, page];
}
