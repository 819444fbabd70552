import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

/**
 * The JSON body, read as Express's body-parser did: `application/json` and `application/*+json`,
 * up to ALLMENDE_BODY_LIMIT (after inflating), Content-Encoding identity, gzip, deflate or br,
 * UTF charsets only, strict (an object or an array; an empty body is `{}`). Its errors carry
 * body-parser's `type` and `status`, which the problem filter maps (400, 413, 415). A body of any
 * other type is not read: the handler sees no body, and validation names the missing fields.
 */

/** `100kb`, `1mb`, `512b` (the config's format) in bytes. */
export function bodyLimitBytes(limit: string): number {
  const m = /^(\d+)(b|kb|mb)$/i.exec(limit);
  if (!m) throw new Error(`not a body size: ${limit}`);
  const unit = m[2].toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

interface BodyError extends Error {
  type: string;
  status: number;
  statusCode: number;
  expose: boolean;
}

function bodyError<E extends Error>(error: E, status: number, type: string): E & BodyError {
  return Object.assign(error, { type, status, statusCode: status, expose: true });
}

function decoderOf(request: FastifyRequest, payload: Readable): Readable {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  switch (encoding) {
    case 'identity':
      return payload;
    case 'gzip':
      return payload.pipe(zlib.createGunzip());
    case 'deflate':
      return payload.pipe(zlib.createInflate());
    case 'br':
      return payload.pipe(zlib.createBrotliDecompress());
    default:
      throw bodyError(new Error(`unsupported content encoding "${encoding}"`), 415, 'encoding.unsupported');
  }
}

function charsetOf(contentType: string): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1].toLowerCase() : 'utf-8';
}

/** Reads the whole body up to `limit` bytes. */
function readBody(request: FastifyRequest, payload: Readable, limit: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  const encoded = request.headers['content-encoding'] !== undefined;
  if (!encoded && declared !== undefined && Number(declared) > limit) {
    payload.resume();
    return Promise.reject(bodyError(new Error('request entity too large'), 413, 'entity.too.large'));
  }
  const stream = decoderOf(request, payload);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      if (stream !== payload) stream.destroy();
      payload.resume();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) fail(bodyError(new Error('request entity too large'), 413, 'entity.too.large'));
      else chunks.push(chunk);
    });
    stream.on('error', (e: Error & { code?: string }) =>
      fail(
        e.code?.startsWith('Z_')
          ? bodyError(e, 400, 'encoding.failed')
          : bodyError(e, 400, 'request.aborted'),
      ),
    );
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
    });
  });
}

/** JSON.parse, strict: the body must be an object or an array (body-parser's `strict`). */
function parseStrict(text: string): unknown {
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') {
    const at = text.indexOf(first ?? '');
    throw bodyError(
      new SyntaxError(
        first === undefined
          ? 'Unexpected end of JSON input'
          : `Unexpected token '${first}' in JSON at position ${at}`,
      ),
      400,
      'entity.parse.failed',
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw bodyError(e as SyntaxError, 400, 'entity.parse.failed');
  }
}

export function registerJsonBody(instance: FastifyInstance, limit: number): void {
  instance.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, payload: Readable): Promise<unknown> => {
    const charset = charsetOf(request.headers['content-type'] ?? '');
    if (!charset.startsWith('utf-')) {
      payload.resume();
      return Promise.reject(
        bodyError(new Error(`unsupported charset "${charset.toUpperCase()}"`), 415, 'charset.unsupported'),
      );
    }
    return readBody(request, payload, limit).then((body) => {
      let text: string;
      try {
        text = charset === 'utf-8' ? body.toString('utf8') : new TextDecoder(charset).decode(body);
      } catch {
        throw bodyError(
          new Error(`unsupported charset "${charset.toUpperCase()}"`),
          415,
          'charset.unsupported',
        );
      }
      return parseStrict(text);
    });
  };
  instance.addContentTypeParser('application/json', parse);
  instance.addContentTypeParser(/^application\/[^\s/;]+\+json(?:;|$)/, parse);
  // Any other body (text/plain, a form, no Content-Type) is left unread, as Express did.
  instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
