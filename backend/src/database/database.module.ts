import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions, SERVER_POOL_OPTIONS } from './data-source-options';
import { TenantTransactions } from './tenancy/tenant-transactions';

/**
 * The TypeORM connection as the schema owner (it runs migrations); every tenant statement then
 * runs through TenantTransactions as `vault_app`. `config.databaseUrl` is the real PostgreSQL or,
 * in embedded mode, the PGlite socket that main.ts started before the app.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('The database URL must be resolved before the app starts');
        return {
          ...dataSourceOptions(config.databaseUrl, config.dbPoolSize),
          ...(config.databaseDriver === 'postgres' ? SERVER_POOL_OPTIONS : {}),
          migrationsRun: config.migrationsRun,
        };
      },
    }),
  ],
  providers: [TenantTransactions],
  exports: [TenantTransactions],
})
export class DatabaseModule {}
