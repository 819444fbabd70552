import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppLogger } from './app-logger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The URL as logged: calendar feed tokens are secrets and stay out of the log. */
function loggedUrl(url: string | undefined): string {
  return (url ?? '').replace(/\/calendar\/[^/?]+/, '/calendar/***');
}

/** `GET /api/v1/bookings 200 12ms`: what an operator scans for. */
function line(req: IncomingMessage, res: ServerResponse, ms: number): string {
  return `${req.method} ${loggedUrl(req.url)} ${res.statusCode} ${Math.round(ms)}ms`;
}

/**
 * JSON logs (pino); every request gets an id, taken from X-Request-Id when sane, echoed back.
 * At info, one compact line per request (method, URL, status, time, request id); at debug and
 * trace, the full request and response (headers without credentials, query and body).
 */
export function loggerModule(level: string): DynamicModule {
  const verbose = level === 'debug' || level === 'trace';
  const pino = LoggerModule.forRoot({
    // Nest 11's path syntax for "every route" (the default '*' draws a deprecation warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      quietReqLogger: true,
      customSuccessMessage: line,
      customErrorMessage: (req, res) => line(req, res, 0),
      ...(verbose
        ? {
            customProps: (req: IncomingMessage) => ({
              body: (req as IncomingMessage & { body?: unknown }).body,
            }),
          }
        : {
            serializers: {
              req: () => undefined,
              res: () => undefined,
            },
          }),
      autoLogging: { ignore: (req) => req.url === '/health' },
    },
  });
  return {
    module: AppLoggerModule,
    global: true,
    imports: [pino],
    providers: [AppLogger],
    exports: [AppLogger, pino],
  };
}

@Module({})
class AppLoggerModule {}
