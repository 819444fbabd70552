import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppLogger } from './app-logger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** JSON logs (pino); every request gets an id, taken from X-Request-Id when sane, echoed back. */
export function loggerModule(level: string): DynamicModule {
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
