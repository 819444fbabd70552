import { Inject, Injectable, LoggerService } from '@nestjs/common';
import type { Level, Logger as Pino } from 'pino';

/** The process's pino logger (one per app), for what logs outside Nest's LoggerService. */
export const PINO = Symbol('PINO');

/** Nest's own start-up chatter (modules loaded, routes mapped): useful when debugging, noise otherwise. */
const FRAMEWORK_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** Nest's exception handlers call `error(message, stack)`: the stack is the second argument. */
function isStackContract(level: Level, message: unknown, params: unknown[]): params is [string] {
  return (
    level === 'error' &&
    typeof message === 'string' &&
    params.length === 1 &&
    typeof params[0] === 'string' &&
    /\n\s*at /.test(params[0])
  );
}

/**
 * Nest's logger on pino, with Nest's start-up messages moved from info to debug. The last
 * optional parameter is the context (`{"context": "..."}`); an object message is merged into the
 * line, an Error becomes `err`. No per-request child logger: the request log is one line written
 * when the response is finished (see apps/api request-log).
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(PINO) readonly pino: Pino) {}

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.call('trace', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.call('debug', message, optionalParams);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    const framework = typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context);
    this.call(framework ? 'debug' : 'info', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.call('warn', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.call('error', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.call('fatal', message, optionalParams);
  }

  private call(level: Level, message: unknown, optionalParams: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let params: unknown[] = [];
    if (optionalParams.length !== 0) {
      fields.context = optionalParams[optionalParams.length - 1];
      params = optionalParams.slice(0, -1);
    }
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      this.pino[level](fields, ...(params as []));
    } else if (isStackContract(level, message, params)) {
      const err = new Error(message as string);
      err.stack = params[0];
      this.pino[level]({ ...fields, err });
    } else {
      this.pino[level](fields, message as string, ...(params as []));
    }
  }
}
