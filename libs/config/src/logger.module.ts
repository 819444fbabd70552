import { DynamicModule, Module } from '@nestjs/common';
import pino from 'pino';
import { AppLogger, PINO } from './app-logger';

/** Whether the level logs every request in full (headers without credentials, body). */
export function verboseLevel(level: string): boolean {
  return level === 'debug' || level === 'trace';
}

/**
 * JSON logs (pino) to stdout. The API writes one compact line per request at info (method, URL,
 * status, time, request id) and the full request and response at debug and trace, with the
 * credentials redacted (see apps/api's request log).
 */
export function loggerModule(level: string): DynamicModule {
  const logger = pino({
    level,
    ...(verboseLevel(level)
      ? { redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'] }
      : {}),
  });
  return {
    module: AppLoggerModule,
    global: true,
    providers: [{ provide: PINO, useValue: logger }, AppLogger],
    exports: [PINO, AppLogger],
  };
}

@Module({})
class AppLoggerModule {}
