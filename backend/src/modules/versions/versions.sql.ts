/**
 * The runtime fetch's statements, kept free of Nest and TypeORM imports so that the benchmark's
 * floor server (`scripts/bench/floor-server.mjs`) runs exactly these texts from the build.
 * `$1` organization, `$2` slug, `$3` caller, `$4` the label or version when given.
 */

import { visibleToSql } from '../prompts/prompts.sql';

/**
 * The prompt is the driving row and the version is LEFT JOINed: a visible prompt whose label or
 * version is missing still answers one row, with `version` NULL, so one statement also tells
 * "no such prompt" (no row) from "no such label/version" (a row without a version) and the fetch
 * never needs a second read.
 */
const runtimeFetch = (join: string) =>
  `SELECT p.id, p.slug, v.version, v.title, v.content, v.variables, v.metadata, v.created_at
         FROM prompts p ${join}
        WHERE p.organization_id = $1 AND p.slug = $2 AND ${visibleToSql('$3')}`;

/** The version a label points at (`$4` the label). */
export const RUNTIME_FETCH_BY_LABEL_SQL =
  runtimeFetch(`LEFT JOIN prompt_labels l ON l.prompt_id = p.id AND l.label = $4
              LEFT JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = l.version`);

/** A given version (`$4` its number). */
export const RUNTIME_FETCH_BY_VERSION_SQL = runtimeFetch(
  `LEFT JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = $4`,
);

/** The current version. */
export const RUNTIME_FETCH_CURRENT_SQL = runtimeFetch(
  `LEFT JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = p.version`,
);
