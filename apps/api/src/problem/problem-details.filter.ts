import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@allmende/core';
import { isDatabaseUnreachable, mapDatabaseError } from './database-errors';
import { detailOf, Language, negotiateLanguage, titleOf, translateFieldErrors } from './messages';
import { problem, ProblemDetails } from './problem-details';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.ValidationFailed,
  429: ErrorCode.RateLimited,
};

/** body-parser's errors carry a `type` and a status; they are the client's fault, never a 500. */
interface BodyParserError {
  type?: string;
  code?: string;
  status?: number;
  expose?: boolean;
}

function isHealthReport(e: unknown): e is HttpException {
  if (!(e instanceof HttpException) || e.getStatus() !== 503) return false;
  const res = e.getResponse();
  return typeof res === 'object' && res !== null && 'details' in res && 'status' in res;
}

/** The one place where errors become HTTP: RFC 9457 problem+json with the contract's codes. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const response = ctx.getResponse<FastifyReply>();
    if (isHealthReport(exception)) {
      // Terminus's readiness report stays as it is: monitors read its `details`.
      void response.code(503).send(exception.getResponse());
      return;
    }
    const lang = negotiateLanguage(request.headers?.['accept-language']);
    const body = this.toProblem(exception, lang);
    if (lang === 'de' && !(exception instanceof DomainError)) {
      body.detail = detailOf(new DomainError(body.code, body.detail, body), lang);
    }
    body.title = titleOf(body.code, lang);
    if (Array.isArray(body.errors)) body.errors = translateFieldErrors(body.errors, lang);
    body.instance = request.url;
    response.header('Content-Language', lang);
    // For the metrics (bookings refused by reason): the code this error became.
    response.problemCode = body.code;
    if (body.status >= 500) {
      this.logger.error({ err: exception, url: request.url, reqId: request.id }, 'unhandled error');
    }
    if (body.status === 503) response.header('Retry-After', '5');
    if (typeof body.retryAfterSeconds === 'number') {
      response.header('Retry-After', String(body.retryAfterSeconds));
    }
    if (exception instanceof ThrottlerException) {
      const retryAfter = response.getHeader('Retry-After');
      if (!retryAfter) response.header('Retry-After', '60');
    }
    void response
      .code(body.status)
      .type('application/problem+json; charset=utf-8')
      .send(JSON.stringify(body));
  }

  private toProblem(exception: unknown, lang: Language): ProblemDetails {
    if (exception instanceof DomainError) {
      return problem(exception.code, detailOf(exception, lang), exception.extra);
    }
    const fromDatabase = mapDatabaseError(exception);
    if (fromDatabase) {
      const error = new DomainError(
        fromDatabase.code,
        fromDatabase.detail,
        fromDatabase.errors ? { errors: fromDatabase.errors } : {},
      );
      return problem(error.code, detailOf(error, lang), error.extra);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest);
      const res = exception.getResponse();
      const message =
        typeof res === 'string' ? res : ((res as { message?: unknown }).message ?? exception.message);
      const detail =
        status >= 500
          ? 'An unexpected error occurred.'
          : Array.isArray(message)
            ? message.map(String).join('; ')
            : typeof message === 'string'
              ? message
              : exception.message;
      return { ...problem(code, detail), status };
    }
    const bp = exception as BodyParserError;
    if (
      bp &&
      typeof bp === 'object' &&
      typeof bp.code === 'string' &&
      bp.code.startsWith('Z_') &&
      bp.status === 400
    ) {
      // zlib could not inflate a body sent with Content-Encoding: gzip or deflate.
      return problem(
        ErrorCode.BadRequest,
        'The body is not valid data for its Content-Encoding; send plain JSON without Content-Encoding, or compress it.',
      );
    }
    if (
      bp &&
      typeof bp === 'object' &&
      typeof bp.type === 'string' &&
      bp.expose &&
      bp.status &&
      bp.status < 500
    ) {
      switch (bp.type) {
        case 'entity.too.large':
          return problem(ErrorCode.PayloadTooLarge, 'The request body is larger than allowed.');
        case 'entity.parse.failed':
          return problem(ErrorCode.BadRequest, 'The request body is not valid JSON.');
        case 'encoding.unsupported':
        case 'charset.unsupported':
          return problem(ErrorCode.UnsupportedMediaType, 'The request body encoding is not supported.');
        default:
          return {
            ...problem(ErrorCode.BadRequest, 'The request body could not be read.'),
            status: bp.status,
          };
      }
    }
    if (isDatabaseUnreachable(exception)) {
      // The database is saturated, restarting or gone: the client may retry, it did nothing wrong.
      return problem(ErrorCode.ServiceUnavailable, 'The database is busy; retry in a few seconds.');
    }
    return problem(ErrorCode.Internal, 'An unexpected error occurred.');
  }
}
