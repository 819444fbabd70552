import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppLogger } from '@allmende/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { ApiModule, ApiRuntime } from './api.module';
import { createValidationPipe } from './problem/validation.pipe';
import { defaultWebRoot, webAppBuilt, webAppMiddleware } from './web/serve-web-app';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { mountMetrics } from './metrics/http-metrics';

export const API_PREFIX = 'api/v1';

/** Builds the HTTP application (not yet listening), configured the same for tests and production. */
export async function createApiApp(
  runtime: ApiRuntime,
  options: { shutdownHooks?: boolean; webRoot?: string } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(runtime), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(AppLogger));
  app.set('trust proxy', 'loopback');
  mountMetrics(app, runtime.config);
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cookieParser());
  // The web app (dist/web, built by `npm run build`) on the same origin; the API keeps its paths.
  const webRoot = options.webRoot ?? defaultWebRoot();
  if (webAppBuilt(webRoot)) app.use(webAppMiddleware(webRoot));
  app.useBodyParser('json', {
    limit: runtime.config.bodyLimit,
    type: ['application/json', 'application/*+json'],
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'api/v1/health', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  mountQueueDashboard(app);
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
  return app;
}
