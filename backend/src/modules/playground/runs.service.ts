import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { TIMESTAMP_TEXT } from '../prompts/prompts.sql';
import { RunsQueryDto } from './dto/run.dto';
import { RunDetailResponseDto, RunResponseDto } from './dto/run.response.dto';
import { RunRow, RunsRepository } from './runs.repository';

/** A (created_at text, id) cursor of a newest-first list (runs, test runs). */
export type RunCursor = { t: string; id: string };
export const isRunCursor = (v: unknown): v is RunCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as RunCursor).t === 'string' &&
  TIMESTAMP_TEXT.test((v as RunCursor).t) &&
  typeof (v as RunCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as RunCursor).id);

export function toRunDto(r: RunRow): RunResponseDto {
  return {
    id: r.id,
    promptId: r.prompt_id,
    version: r.version,
    model: r.model,
    provider: r.provider,
    output: r.output,
    usage: { inputTokens: r.input_tokens, outputTokens: r.output_tokens },
    costUsd: Number(r.cost_usd),
    latencyMs: r.latency_ms,
    status: r.status,
    error: r.error,
    providerKeyId: r.provider_key_id,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const toDetailDto = (r: RunRow): RunDetailResponseDto => ({
  ...toRunDto(r),
  variables: r.variables,
  input: r.input,
});

/**
 * Stored runs, read: the runs list and one run (`GET /runs`, `GET /runs/:id`), and the run an
 * evaluation judges. Row-level security decides which runs the caller sees.
 */
@Injectable()
export class RunsService {
  constructor(private readonly runs: RunsRepository) {}

  async list(caller: Caller, q: RunsQueryDto): Promise<Page<RunDetailResponseDto>> {
    if (q.from && q.to && q.from > q.to) {
      const message = 'to must not be before from';
      throw new AppException('validation_failed', message, { errors: [{ field: 'to', message }] });
    }
    const rows = await this.runs.page(
      caller.organizationId,
      { promptId: q.promptId, model: q.model, from: q.from, to: q.to },
      q.limit,
      q.cursor ? decodeCursor(q.cursor, isRunCursor) : undefined,
    );
    return toPage(rows, q.limit, (r) => ({ t: r.cursor_key, id: r.id }), toDetailDto);
  }

  async get(caller: Caller, id: string): Promise<RunDetailResponseDto> {
    const row = await this.runs.find(caller.organizationId, id);
    if (!row) throw notFound('Run');
    return toDetailDto(row);
  }
}
