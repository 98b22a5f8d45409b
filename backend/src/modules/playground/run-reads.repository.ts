import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { HARD_STOPS, HardStopRow } from '../analytics/budget.repository';
import { monthStart } from '../analytics/budget.service';
import { AppException } from '../../common/errors/domain.exception';
import type { ResolvedVersion } from '../prompts/prompt.model';
import { visibleToSql } from '../prompts/prompts.sql';
import type { VariableDefinition } from '../prompts/variables';
import { VersionException } from '../versions/versions.errors';
import { KeyForCallRow, keyForCallSql } from '../provider-keys/provider-keys.repository';
import type { Provider } from '../provider-keys/providers';

/** Which version of the prompt a run takes: the current one, a number, or the one a label points at. */
export type VersionChoice = 'current' | 'number' | 'label';

/**
 * Everything a run reads before it calls the model, in one row: the hard-stopped budgets that apply
 * with their spend (`HARD_STOPS`), the prompt if the caller can see it, the version (and with a
 * label, the version it points at), and the key with its sealed secret and the model's price
 * (`keyForCallSql`). Each part is null when there is nothing (no such prompt, label, version or
 * key), so one statement answers every outcome the separate reads did.
 */
export type RunReadsRow = Partial<KeyForCallRow> & {
  stops: HardStopRow[] | null;
  prompt_id: string | null;
  prompt_version: number | null;
  label_version: number | null;
  version: number | null;
  content: string | null;
  variables: VariableDefinition[] | null;
  metadata: { temperature?: number; maxTokens?: number } | null;
};

/**
 * `$1` organization, `$2` prompt (null for unsaved content), `$3` the month's start (the three as
 * `HARD_STOPS` numbers them), `$4` the caller, `$5` the model, `$6` the key's id or the provider,
 * `$7` the version number or the label (not with `current`). The prompt and its versions are read
 * under the caller's row-level security, with the visibility rule of `PromptAccess.loadVisible`.
 */
function runReadsSql(version: VersionChoice, key: 'id' | 'provider'): string {
  const labelled =
    version === 'label'
      ? `, labelled AS (SELECT l.version FROM prompt p JOIN prompt_labels l ON l.prompt_id = p.id AND l.label = $7)`
      : '';
  const at = { current: 'p.version', number: '$7::int', label: '(SELECT version FROM labelled)' }[version];
  return `
WITH stops AS (${HARD_STOPS}
), prompt AS (
  SELECT p.id, p.version FROM prompts p
   WHERE p.id = $2 AND p.organization_id = $1 AND ${visibleToSql('$4')}
)${labelled}, version AS (
  SELECT v.version, v.content, v.variables, v.metadata
    FROM prompt p JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = ${at}
), key AS (${keyForCallSql(key, '$1', '$6', '$5')}
)
SELECT (SELECT json_agg(s) FROM stops s) AS stops, p.id AS prompt_id, p.version AS prompt_version,
       ${version === 'label' ? '(SELECT version FROM labelled)' : 'NULL::int'} AS label_version,
       v.version, v.content, v.variables, v.metadata, k.*
  FROM (SELECT 1) one
  LEFT JOIN prompt p ON true
  LEFT JOIN version v ON true
  LEFT JOIN key k ON true`;
}

const STATEMENTS = new Map<string, string>();
/** The statement of `RunReadsRepository.read` (also sent by the benchmark's run floor). */
export const runReadsStatement = (version: VersionChoice, key: 'id' | 'provider') => {
  const name = `${version}/${key}`;
  let sql = STATEMENTS.get(name);
  if (!sql) STATEMENTS.set(name, (sql = runReadsSql(version, key)));
  return sql;
};

/**
 * The reads of a run (`POST /prompts/:id/run`, `POST /playground/run`) as one statement sent with
 * the request transaction's COMMIT (`TenantTransactions.finalRead`): the request's last
 * statement, so nothing may read or write in its transaction after it.
 */
@Injectable()
export class RunReadsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  async read(p: {
    organizationId: string;
    userId: string;
    promptId: string | null;
    model: string;
    key: { id: string } | { provider: Provider };
    version: { by: 'current' } | { by: 'number'; number: number } | { by: 'label'; label: string };
    now?: Date;
  }): Promise<RunReadsRow> {
    const keyBy = 'id' in p.key ? 'id' : 'provider';
    const params: unknown[] = [
      p.organizationId,
      p.promptId,
      monthStart(p.now ?? new Date()),
      p.userId,
      p.model,
      'id' in p.key ? p.key.id : p.key.provider,
    ];
    if (p.version.by === 'number') params.push(p.version.number);
    if (p.version.by === 'label') params.push(p.version.label);
    const [row] = await this.transactions.finalRead<RunReadsRow>(
      runReadsStatement(p.version.by, keyBy),
      params,
    );
    return row;
  }
}

/**
 * The version a run's reads found, with `PromptAccess.resolveVersion`'s problems: version and
 * label together (400), an unknown label, a missing version (404).
 */
export function versionOfReads(
  read: RunReadsRow,
  at: { version?: number; label?: string },
): Pick<ResolvedVersion, 'content' | 'variables' | 'metadata'> & { version: number } {
  if (at.version !== undefined && at.label !== undefined)
    throw new AppException('validation_failed', 'Give either version or label, not both', {
      errors: [{ field: 'label', message: 'label and version are mutually exclusive' }],
    });
  if (at.label !== undefined && read.label_version === null)
    throw new VersionException('version_label_not_found', `Label "${at.label}" was not found`);
  if (read.version === null) {
    const wanted = at.label !== undefined ? read.label_version : (at.version ?? read.prompt_version);
    throw new VersionException('version_not_found', `Version ${wanted} was not found`);
  }
  return {
    version: read.version,
    content: read.content!,
    variables: read.variables!,
    metadata: read.metadata!,
  };
}

/** The key columns of a run's reads; undefined when it found no key. */
export function keyRowOfReads(r: RunReadsRow): KeyForCallRow | undefined {
  if (r.id === null || r.id === undefined) return undefined;
  return {
    id: r.id,
    organization_id: r.organization_id!,
    provider: r.provider!,
    name: r.name!,
    last4: r.last4!,
    base_url: r.base_url ?? null,
    created_by: r.created_by ?? null,
    created_at: r.created_at!,
    last_used_at: r.last_used_at ?? null,
    ciphertext: r.ciphertext!,
    iv: r.iv!,
    auth_tag: r.auth_tag!,
    key_version: r.key_version!,
    price_input_per_mtok_usd: r.price_input_per_mtok_usd ?? null,
    price_output_per_mtok_usd: r.price_output_per_mtok_usd ?? null,
    price_source: r.price_source ?? null,
  };
}
