import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppLogger } from '@allmende/config';
import { ApiModule, ApiRuntime } from './api.module';
import { createValidationPipe } from './problem/validation.pipe';
import { defaultWebRoot, registerWebApp, webAppBuilt } from './web/serve-web-app';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { httpMetrics, mountMetrics } from './metrics/http-metrics';
import { bodyLimitBytes, registerJsonBody } from './http/json-body';
import { registerRequestHooks, requestIdOf } from './http/request-hooks';
import { requestLog } from './http/request-log';
import { installLeanAsyncResourceBind } from './http/lean-async-resource';
import './http/http-types';

export const API_PREFIX = 'api/v1';

/**
 * Builds the HTTP application on Fastify, initialised and ready but not yet listening, configured
 * the same for tests and production (`app.getHttpServer()` answers at once, e.g. for supertest).
 */
export async function createApiApp(
  runtime: ApiRuntime,
  options: { shutdownHooks?: boolean; webRoot?: string } = {},
): Promise<INestApplication> {
  installLeanAsyncResourceBind();
  const bodyLimit = bodyLimitBytes(runtime.config.bodyLimit);
  const adapter = new FastifyAdapter({
    // X-Forwarded-For / -Proto from a proxy on this host only (Express's 'loopback').
    trustProxy: 'loopback',
    bodyLimit,
    genReqId: requestIdOf,
    requestIdHeader: false,
    // Node's default, which Express kept and Fastify would turn off: a request must arrive in 5 min.
    requestTimeout: 300_000,
    // Express's routing: /a/ is /a, and paths are not case-sensitive.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 1000 },
    // Nest middleware (@fastify/middie) is not used: the hooks below do the per-request work.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(runtime), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  const instance = app.getHttpAdapter().getInstance();
  registerRequestHooks(instance, [httpMetrics(), requestLog(logger.pino)]);
  registerJsonBody(instance, bodyLimit);
  // Cookies are parsed when a credential resolver asks for them, not on every request.
  await app.register(fastifyCookie, { hook: false });
  mountMetrics(app, instance, runtime.config);
  // The web app (dist/web, built by `npm run build`) on the same origin; the API keeps its paths.
  const webRoot = options.webRoot ?? defaultWebRoot();
  if (webAppBuilt(webRoot)) registerWebApp(instance, webRoot);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'api/v1/health', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  mountQueueDashboard(app, instance);
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('allmende API')
      .setDescription(
        'Shared machines and staff for municipalities: pools, bookings, cost sharing. ' +
          'Errors are RFC 9457 application/problem+json with a machine-readable `code`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await app.init();
  await instance.ready();
  return app;
}
