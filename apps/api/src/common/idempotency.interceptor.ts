import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { DomainError, ErrorCode, ValidationFailed } from '@allmende/core';
import { IdempotencyRepository } from '@allmende/database';
import { SECRET_FIELDS, SHOWN_ONCE } from '../users/secret-response';

/** The response as stored for replays: secrets shown once are left out, with a note saying so. */
function withoutSecrets(body: unknown, fields: string[]): unknown {
  if (fields.length === 0 || !body || typeof body !== 'object') return body;
  const stored: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const f of fields) if (f in stored) stored[f] = null;
  stored.secretsShownOnce = SHOWN_ONCE;
  return stored;
}

const MAX_KEY_LENGTH = 255;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `Idempotency-Key` on creating POSTs: a retry with the same key and body replays the first
 * response; the same key with another body is 422; a duplicate still in flight is 409.
 * Keys are scoped per principal and purged after 24 h by the maintenance queue.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header.join(', ') : header;
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      return throwError(
        () =>
          new ValidationFailed([
            { field: 'Idempotency-Key', message: `must be 1 to ${MAX_KEY_LENGTH} characters` },
          ]),
      );
    }
    const principal = request.principal?.id ?? 'anonymous';
    const queryAt = request.url.indexOf('?');
    const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
    const hash = createHash('sha256')
      .update(`${request.method} ${path}\n${canonical(request.body ?? null)}`)
      .digest('hex');

    return from(this.records.claim(principal, key, hash)).pipe(
      mergeMap((claimed) => {
        if (!claimed) return from(this.replay(principal, key, hash, response));
        const secrets = this.reflector.get<string[] | undefined>(SECRET_FIELDS, context.getHandler()) ?? [];
        return next.handle().pipe(
          mergeMap((body: unknown) =>
            from(
              this.records.complete(
                principal,
                key,
                response.statusCode,
                withoutSecrets(body, secrets) ?? null,
              ),
            ).pipe(mergeMap(() => of(body))),
          ),
          catchError((err: unknown) =>
            from(this.records.release(principal, key)).pipe(mergeMap(() => throwError(() => err))),
          ),
        );
      }),
    );
  }

  private async replay(
    principal: string,
    key: string,
    hash: string,
    response: FastifyReply,
  ): Promise<unknown> {
    const record = await this.records.find(principal, key);
    if (!record) {
      throw new DomainError(
        ErrorCode.IdempotencyKeyInFlight,
        'A request with this Idempotency-Key just failed; retry it.',
      );
    }
    if (record.requestHash !== hash) {
      throw new DomainError(
        ErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was used with a different request body.',
      );
    }
    if (record.responseStatus === null) {
      throw new DomainError(
        ErrorCode.IdempotencyKeyInFlight,
        'A request with this Idempotency-Key is still being processed.',
      );
    }
    response.code(record.responseStatus);
    response.header('Idempotent-Replayed', 'true');
    return record.responseBody;
  }
}
