import type { NextFunction, Request, Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Paths the API owns; everything else on the origin belongs to the web app. */
const SERVER_PATHS = ['/api', '/docs', '/docs-json', '/health', '/admin/queues', '/metrics'];

/**
 * What the built app may do: its own scripts and styles (style attributes too, which React
 * writes), images from itself and data:/blob: URLs (charts, downloads), calls to this origin only.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Hashed file names (Vite's `assets/`) never change content: cache them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The nearest folder up from `from` whose package.json is allmende's (sources, dist/, an image). */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
      };
      if (manifest.name === 'allmende') return dir;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** dist/web of the repository, wherever the API runs from (sources or dist/). */
export function defaultWebRoot(): string {
  return path.join(repositoryRoot(__dirname), 'dist', 'web');
}

function isServerPath(p: string): boolean {
  return SERVER_PATHS.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}

/**
 * Serves the built web app on the API's origin: files as they are, and index.html for any other
 * page path (the app routes in the browser). index.html is revalidated every time, so a new
 * build is picked up at once; its hashed assets are cached for good.
 */
export function webAppMiddleware(root: string) {
  const index = path.join(root, 'index.html');
  return (request: Request, response: Response, next: NextFunction): void => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isServerPath(request.path)) {
      next();
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(request.path);
    } catch {
      next();
      return;
    }
    const file = path.resolve(root, `.${relative}`);
    const inside = file.startsWith(`${root}${path.sep}`);
    if (inside && fs.existsSync(file) && fs.statSync(file).isFile() && file !== index) {
      const immutable = relative.startsWith('/assets/');
      response.setHeader('Cache-Control', immutable ? IMMUTABLE : 'no-cache');
      response.sendFile(file, { etag: true, lastModified: !immutable });
      return;
    }
    // a missing file (a name with an extension) is a 404, not the app
    if (path.posix.basename(relative).includes('.')) {
      next();
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Content-Security-Policy', WEB_APP_CSP);
    response.sendFile(index, { etag: true });
  };
}

/** Whether a built web app is there to serve. */
export function webAppBuilt(root: string): boolean {
  return fs.existsSync(path.join(root, 'index.html'));
}
