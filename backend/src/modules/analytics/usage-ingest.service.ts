import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import type { Caller } from '../../common/context/request-context';
import type { FieldError } from '../../common/errors/domain.exception';
import { UsageAcceptedDto, UsageEventDto } from './dto/usage.dto';
import { UsageRecorder } from './usage-recorder';
import { UsageEventInsert, UsageRepository } from './usage.repository';
import { UsageRetention } from './usage-retention';

/** Clock skew tolerated for `occurredAt` in the future. */
const FUTURE_SKEW_MS = 5 * 60_000;
const MAX_METADATA_BYTES = 4096;

const flatten = (errors: ValidationError[], prefix = ''): FieldError[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });

interface Candidate {
  index: number;
  event: UsageEventDto;
  occurredAt: Date;
  errors: FieldError[];
}

/**
 * `POST /usage`: calls reported by the customer's own code. Each event is validated on its own
 * (fields, the prompt by id or slug in this organization, the version or label on that prompt, the
 * time window, the idempotency key); the valid ones are written in the request's transaction, so
 * they are durable before the 202.
 */
@Injectable()
export class UsageIngestService {
  constructor(
    private readonly repo: UsageRepository,
    private readonly recorder: UsageRecorder,
    private readonly retention: UsageRetention,
  ) {}

  async report(
    caller: Caller,
    events: Record<string, unknown>[],
    now = new Date(),
  ): Promise<UsageAcceptedDto> {
    const organizationId = caller.organizationId;
    const oldest = await this.retention.oldestAccepted(organizationId, now);
    const candidates: Candidate[] = events.map((raw, index) => {
      const event = plainToInstance(UsageEventDto, raw);
      const errors = flatten(validateSync(event, { whitelist: true, forbidNonWhitelisted: true }));
      const occurredAt =
        event.occurredAt && !errors.some((e) => e.field === 'occurredAt') ? new Date(event.occurredAt) : now;
      if (event.promptId === undefined && event.slug === undefined)
        errors.push({ field: 'promptId', message: 'give promptId or slug' });
      if (event.promptId !== undefined && event.slug !== undefined)
        errors.push({ field: 'slug', message: 'give either promptId or slug, not both' });
      if (event.version !== undefined && event.label !== undefined)
        errors.push({ field: 'label', message: 'give either version or label, not both' });
      if (occurredAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
        errors.push({ field: 'occurredAt', message: 'occurredAt must not be in the future' });
      else if (occurredAt < oldest)
        errors.push({
          field: 'occurredAt',
          message: `occurredAt must not be before ${oldest.toISOString()} (the plan's retention of raw events)`,
        });
      if (event.metadata && Buffer.byteLength(JSON.stringify(event.metadata)) > MAX_METADATA_BYTES)
        errors.push({
          field: 'metadata',
          message: `metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON`,
        });
      return { index, event, occurredAt, errors };
    });

    await this.resolvePrompts(organizationId, candidates);

    // Idempotency: the first event with a key in the batch claims it; replays are accepted, not counted.
    const valid = candidates.filter((c) => !c.errors.length);
    const seen = new Set<string>();
    const claims: Array<{ key: string; occurredAt: string }> = [];
    for (const c of valid) {
      const key = c.event.idempotencyKey;
      if (key !== undefined && !seen.has(key)) {
        seen.add(key);
        claims.push({ key, occurredAt: c.occurredAt.toISOString() });
      }
    }
    const fresh = await this.repo.claimKeys(organizationId, claims);
    const write: UsageEventInsert[] = [];
    let duplicates = 0;
    for (const c of valid) {
      const key = c.event.idempotencyKey;
      if (key !== undefined) {
        if (!fresh.has(key)) {
          duplicates++;
          continue;
        }
        fresh.delete(key); // a second event with the same key in this batch is a replay too
      }
      write.push({
        organization_id: organizationId,
        occurred_at: c.occurredAt.toISOString(),
        kind: 'call',
        prompt_id: c.event.promptId,
        version: c.event.version ?? null,
        label: c.event.label ?? null,
        model: c.event.model,
        user_id: caller.userId,
        api_key_id: caller.apiKey?.id ?? null,
        input_tokens: c.event.inputTokens,
        output_tokens: c.event.outputTokens,
        cost_usd: c.event.costUsd ?? null,
        latency_ms: c.event.latencyMs ?? null,
        status: c.event.status ?? 'success',
        idempotency_key: key ?? null,
        metadata: c.event.metadata ?? null,
      });
    }
    await this.recorder.recordReported(organizationId, write);
    return {
      accepted: valid.length,
      duplicates,
      rejected: candidates.filter((c) => c.errors.length).map((c) => ({ index: c.index, errors: c.errors })),
    };
  }

  /**
   * Resolves slugs to ids and checks that each prompt is one the caller sees in this organization
   * (another organization's prompt is not found) and that its version or label exists. Sets
   * `promptId` and, from a label, `version`.
   */
  private async resolvePrompts(organizationId: string, candidates: Candidate[]): Promise<void> {
    const open = candidates.filter((c) => !c.errors.length);
    const ids = [...new Set(open.map((c) => c.event.promptId).filter((v): v is string => !!v))];
    const slugs = [...new Set(open.map((c) => c.event.slug).filter((v): v is string => !!v))];
    if (!ids.length && !slugs.length) return;
    const prompts = await this.repo.promptsByIdOrSlug(organizationId, ids, slugs);
    const byId = new Map(prompts.map((p) => [p.id, p]));
    const bySlug = new Map(prompts.map((p) => [p.slug, p]));
    for (const c of open) {
      const p = c.event.promptId ? byId.get(c.event.promptId) : bySlug.get(c.event.slug!);
      if (!p) {
        const field = c.event.promptId ? 'promptId' : 'slug';
        c.errors.push({
          field,
          message: `no prompt ${c.event.promptId ?? c.event.slug} in this organization`,
        });
      } else c.event.promptId = p.id;
    }
    const found = [...new Set(open.filter((c) => !c.errors.length).map((c) => c.event.promptId!))];
    if (!found.length) return;
    const { versions, labels } = await this.repo.versionsAndLabels(found);
    const versionSet = new Set(versions.map((v) => `${v.prompt_id}|${v.version}`));
    const labelMap = new Map(labels.map((l) => [`${l.prompt_id}|${l.label}`, l.version]));
    for (const c of open) {
      if (c.errors.length) continue;
      if (c.event.version !== undefined && !versionSet.has(`${c.event.promptId}|${c.event.version}`))
        c.errors.push({ field: 'version', message: `the prompt has no version ${c.event.version}` });
      if (c.event.label !== undefined) {
        const v = labelMap.get(`${c.event.promptId}|${c.event.label}`);
        if (v === undefined)
          c.errors.push({ field: 'label', message: `the prompt has no label "${c.event.label}"` });
        else c.event.version = v;
      }
    }
  }
}
