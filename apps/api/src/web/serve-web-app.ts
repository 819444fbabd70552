import { send } from '@fastify/send';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/** The route of the web app: whatever no API route matched. */
export const WEB_APP_ROUTE = '/*';

/** On to the API's 404 (problem+json), as for any path nothing serves. */
function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: string,
  options: { etag: boolean; lastModified: boolean },
): Promise<FastifyReply> {
  const sent = await send(request.raw, file, { ...options, cacheControl: false, dotfiles: 'allow' });
  if (sent.type === 'error') {
    if (sent.statusCode === 404) return notFound(reply);
    throw sent.metadata.error;
  }
  return reply.code(sent.statusCode).headers(sent.headers).send(sent.stream);
}

/**
 * Serves the built web app on the API's origin: files as they are, and index.html for any other
 * page path (the app routes in the browser). index.html is revalidated every time, so a new
 * build is picked up at once; its hashed assets are cached for good. A route of its own, the
 * one no API route matched, so API requests never pass through it.
 */
export function registerWebApp(instance: FastifyInstance, root: string): void {
  const index = path.join(root, 'index.html');
  instance.route({
    method: ['GET', 'HEAD'],
    url: WEB_APP_ROUTE,
    handler: async (request, reply) => {
      const queryAt = request.url.indexOf('?');
      const pathname = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
      if (isServerPath(pathname)) return notFound(reply);
      let relative: string;
      try {
        relative = decodeURIComponent(pathname);
      } catch {
        return notFound(reply);
      }
      const file = path.resolve(root, `.${relative}`);
      const inside = file.startsWith(`${root}${path.sep}`);
      if (inside && fs.existsSync(file) && fs.statSync(file).isFile() && file !== index) {
        const immutable = relative.startsWith('/assets/');
        reply.header('Cache-Control', immutable ? IMMUTABLE : 'no-cache');
        return sendFile(request, reply, file, { etag: true, lastModified: !immutable });
      }
      // a missing file (a name with an extension) is a 404, not the app
      if (path.posix.basename(relative).includes('.')) return notFound(reply);
      reply.header('Cache-Control', 'no-cache');
      reply.header('Content-Security-Policy', WEB_APP_CSP);
      return sendFile(request, reply, index, { etag: true, lastModified: true });
    },
  });
}

/** Whether a built web app is there to serve. */
export function webAppBuilt(root: string): boolean {
  return fs.existsSync(path.join(root, 'index.html'));
}
