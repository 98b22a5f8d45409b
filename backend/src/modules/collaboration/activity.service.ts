import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { ActivityFilter, ActivityRepository, ActivityRow } from './activity.repository';
import { summarize } from './activity-summary';
import { ActivityEntryDto } from './dto/activity.dto';

const isSeqCursor = (v: unknown): v is { seq: number } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { seq: unknown }).seq);
const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

/**
 * The organization's recent changes, read from the audit trail. An entry about a prompt (or a
 * comment on one) is shown only if the caller can see that prompt now; for a deleted prompt, only
 * if it was not private (or the caller was its author). The prompt joins run under row-level
 * security, so a private prompt of someone else never matches.
 */
@Injectable()
export class ActivityService {
  constructor(private readonly activity: ActivityRepository) {}

  async list(
    caller: Caller,
    q: ActivityFilter & { limit: number; cursor?: string },
  ): Promise<Page<ActivityEntryDto>> {
    const rows = await this.activity.page(
      caller,
      q.limit,
      { promptId: q.promptId, actorId: q.actorId, type: q.type },
      q.cursor ? decodeCursor(q.cursor, isSeqCursor).seq : undefined,
    );
    return toPage(
      rows,
      q.limit,
      (r) => ({ seq: Number(r.seq) }),
      (r) => this.toEntry(r),
    );
  }

  private toEntry(r: ActivityRow): ActivityEntryDto {
    const c = r.changes ?? {};
    const aboutPrompt = r.prompt_id !== null;
    const title = aboutPrompt
      ? (r.prompt_title ?? str(c.title) ?? r.deleted_title ?? r.deleted_slug ?? str(c.slug))
      : (r.target_name ?? str(c.name) ?? str(c.to));
    const actor = r.user_id ? { id: r.user_id, name: r.user_name ?? '', email: r.user_email ?? '' } : null;
    return {
      id: r.id,
      occurredAt: new Date(r.occurred_at).toISOString(),
      actor,
      action: r.action,
      target: {
        type: r.target_type,
        id: r.target_id ?? '',
        ...(title ? { title } : {}),
        ...(r.target_type === 'comment' && r.prompt_id ? { promptId: r.prompt_id } : {}),
      },
      summary: summarize({
        action: r.action,
        actor: actor
          ? actor.name || actor.email
          : r.actor_type === 'system'
            ? null
            : (r.actor_email ?? 'Someone'),
        title,
        changes: r.changes,
      }),
    };
  }
}
