import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  ModuleMetadata,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { AuthzModule } from './authz/authz.module';
import { bufferedStdout } from './common/logging/log-destination';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { createValidationPipe } from './common/errors/validation';
import { QueueModule } from './queue/queue.module';
import { ContextModule } from './common/context/context.module';
import { RequestContextMiddleware } from './common/context/request-context';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuditRetentionModule } from './modules/audit/retention/audit-retention.module';
import { PrivacyModule } from './modules/privacy/privacy.module';
import { AuthModule } from './modules/auth/auth.module';
import { BillingModule } from './modules/billing/billing.module';
import { HealthModule } from './modules/health/health.module';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { PromptsModule } from './modules/prompts/prompts.module';
import { PlaygroundModule } from './modules/playground/playground.module';
import { TestRunsModule } from './modules/test-runs/test-runs.module';
import { EvaluationsModule } from './modules/evaluations/evaluations.module';
import { ProviderKeysModule } from './modules/provider-keys/provider-keys.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { TransferModule } from './modules/transfer/transfer.module';
import { VersionsModule } from './modules/versions/versions.module';
import { TaxonomyModule } from './modules/taxonomy/taxonomy.module';
import { CollaborationModule } from './modules/collaboration/collaboration.module';
import { PromptsBulkModule } from './modules/prompts/prompts-bulk.module';
import { SearchModule } from './modules/search/search.module';
import { SsoModule } from './modules/sso/sso.module';
import { TemplatesModule } from './modules/templates/templates.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Extra modules/controllers (tests mount probes this way). */
  imports?: ModuleMetadata['imports'];
  controllers?: ModuleMetadata['controllers'];
  providers?: ModuleMetadata['providers'];
}

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            // The id was fixed by the request-id middleware before anything else ran.
            genReqId: (req) => (req as unknown as Request & { id: string }).id,
            customProps: (req) => ({ requestId: (req as unknown as { id?: string }).id }),
            // A request line says what was asked and answered, not the headers: no Authorization,
            // API key or cookie can reach a log, and the line is a third of the size to write.
            serializers: {
              req: (req: {
                id: string;
                method: string;
                url: string;
                remoteAddress?: string;
                headers?: Record<string, string>;
              }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
                remoteAddress: req.remoteAddress,
                userAgent: req.headers?.['user-agent'],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            // Defence in depth, should anything log the raw headers.
            redact: [
              'req.headers.authorization',
              'req.headers["x-api-key"]',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
            ],
            autoLogging: { ignore: (req) => req.url === '/api/v1/health' },
            // In production log lines are written in batches (docs/operations.md, "Logs").
            stream: config.env === 'production' ? bufferedStdout() : undefined,
          },
        }),
        ContextModule,
        DatabaseModule,
        QueueModule.forRoot(config),
        AuthzModule,
        AuditModule,
        AuditRetentionModule,
        PrivacyModule,
        AuthModule,
        BillingModule,
        OrganizationsModule,
        ApiKeysModule,
        CollaborationModule,
        HealthModule,
        // Any order: routes are ordered by specificity after init (common/routing/route-order.ts).
        PromptsModule,
        PromptsBulkModule,
        PlaygroundModule,
        TestRunsModule,
        EvaluationsModule,
        ProviderKeysModule,
        WebhooksModule,
        AnalyticsModule,
        TransferModule,
        SearchModule,
        SsoModule,
        TemplatesModule,
        TaxonomyModule,
        VersionsModule,
        ...(options.imports ?? []),
      ],
      controllers: options.controllers ?? [],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ...(options.providers ?? []),
      ],
    };
  }
}
