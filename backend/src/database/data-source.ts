import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnv } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

// For the TypeORM CLI (migration:generate), which needs a DataSource export and a real server.
loadDotEnv();
const config = loadConfig();
if (!config.databaseUrl) throw new Error('Set DATABASE_URL to use the TypeORM CLI');
export default new DataSource(dataSourceOptions(config.databaseUrl, 1));
