import { ProductVariables } from './product.variables';

/**
 * The environment variables the server reads, as class-validator rules (with their defaults).
 * Only `loadConfig` (app-config.ts) uses this class: everything else reads the typed `AppConfig`.
 * Property names are the variable names, so a validation message names exactly the variable an
 * operator has to fix. The rules live by responsibility, each file extending the one before
 * (class-validator and class-transformer follow the inheritance): `runtime.variables.ts` (the
 * process, database, queue, search, mail, logs), `security.variables.ts` (tokens, sign-in and
 * rate limits, keys) and `product.variables.ts` (providers, webhooks, transfer, billing);
 * `env-transforms.ts` turns the strings into the types the rules check.
 */
export class EnvironmentVariables extends ProductVariables {}
