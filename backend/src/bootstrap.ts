import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication, Logger, ModuleMetadata, type RawBodyRequest } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppException } from './common/errors/domain.exception';
import { bodyParserErrors } from './common/errors/problem-details.filter';
import { orderRoutesBySpecificity } from './common/routing/route-order';
import { requestIdMiddleware } from './common/http/request-id.middleware';
import { inputGuard } from './common/validation/input-guard';
import { AppConfig } from './config/app-config';
import { EmbeddedPostgres } from './database/embedded/embedded-postgres';
import { Workers } from './queue/workers';

export const API_PREFIX = 'api/v1';
/** The one route whose raw body is kept, for the signature check (billing-stripe.controller.ts). */
export const STRIPE_WEBHOOK_PATH = `/${API_PREFIX}/billing/webhooks/stripe`;

export interface CreateAppOptions {
  /** Run the job processors in this process. */
  runWorkers: boolean;
  /** Serve the built console at `/` (the API process does; tests may not need it). */
  serveConsole?: boolean;
  imports?: ModuleMetadata['imports'];
  controllers?: ModuleMetadata['controllers'];
  providers?: ModuleMetadata['providers'];
}

/** Resolves the database: the configured PostgreSQL, or PGlite started here (embedded default). */
export async function startDatabase(
  config: AppConfig,
): Promise<{ config: AppConfig; stop: () => Promise<void> }> {
  if (config.databaseUrl) return { config, stop: async () => undefined };
  const embedded = await EmbeddedPostgres.start(config.dataDir);
  return { config: config.with({ databaseUrl: embedded.url }), stop: () => embedded.stop() };
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('Prompt Vault API')
    .setDescription(
      'Multi-tenant prompt management. Errors are RFC 9457 `application/problem+json`. Tenant routes need ' +
        '`X-Organization-Id`. Lists take `limit` (1..100) and an opaque `cursor`.',
    )
    .setVersion('1')
    .setLicense('Proprietary (UNLICENSED)', 'https://promptvault.dev/license')
    .addServer('/', 'The deployment that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Builds the HTTP application exactly as production runs it (tests use this too). */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      config,
      imports: options.imports,
      controllers: options.controllers,
      providers: options.providers,
    }),
    { bodyParser: false, bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(PinoLogger));
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'extended');
  // No weak ETag computed over every JSON answer (a SHA-1 of the whole body, 40 KB for a page of
  // prompts): answers with a validator set it themselves (runtime fetch's strong ETag and 304).
  app.set('etag', false);
  app.use(requestIdMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'font-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  // Without allowed origins the cors middleware would only call next(): it is not mounted at all.
  if (config.corsOrigins.length)
    app.enableCors({
      origin: config.corsOrigins,
      credentials: true,
      exposedHeaders: [
        'X-Request-Id',
        'ETag',
        'Retry-After',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'Content-Disposition',
      ],
    });
  app.use(
    express.json({
      limit: config.bodyLimit,
      type: ['application/json', 'application/*+json'],
      // Stripe signs the exact bytes it sent: keep them for that one route (RawBodyRequest.rawBody).
      verify: (req: Request, _res, buf) => {
        if (req.url === STRIPE_WEBHOOK_PATH || req.url.startsWith(`${STRIPE_WEBHOOK_PATH}?`))
          (req as RawBodyRequest<Request>).rawBody = buf;
      },
    }),
  );
  app.use(express.urlencoded({ limit: config.bodyLimit, extended: true }));
  app.use(bodyParserErrors);
  // Before guards and pipes: NUL bytes, lone surrogates and hostile nesting never reach a handler.
  app.use(inputGuard);
  app.setGlobalPrefix(API_PREFIX);

  if (options.serveConsole !== false) serveConsole(app, config);

  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'Prompt Vault API',
  });

  await app.init();
  // Route precedence by specificity, not by the order modules happened to register controllers.
  orderRoutesBySpecificity(app.getHttpAdapter().getInstance().router);

  if (options.runWorkers) await startWorkers(app);
  return app;
}

export async function startWorkers(app: INestApplication): Promise<void> {
  await app.get(Workers).start();
}

/** Serves the built console with deep links falling back to index.html; `/api` never falls back. */
function serveConsole(app: NestExpressApplication, config: AppConfig): void {
  const index = join(config.adminDist, 'index.html');
  if (!existsSync(index)) {
    new Logger('Console').warn(`console not built (${index} missing): run "npm run build:admin"`);
    return;
  }
  const isApi = (req: Request) => /^\/api(\/|$)/.test(req.path);
  const assets = express.static(config.adminDist, { index: false, maxAge: '1h' });
  // API requests skip the static lookup: it costs a file-system check on every call.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isApi(req)) return next();
    void assets(req, res, next);
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && !isApi(req);
    if (!isPage) return next();
    res.setHeader('Cache-Control', 'no-cache');
    // Relative to `root`: `send` refuses dot segments only below the root, so an install under
    // `~/.local/share/...` serves like any other. A file gone since boot is a 404 problem, not a 500.
    res.sendFile('index.html', { root: config.adminDist }, (err?: Error & { status?: number }) => {
      if (!err || res.headersSent) return;
      if (err.status === 404 || err.status === 403) {
        res.removeHeader('Cache-Control');
        return next(new AppException('not_found', 'The console is not available on this server'));
      }
      next(err);
    });
  });
}
