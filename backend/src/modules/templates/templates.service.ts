import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { AuditService } from '../audit/audit.service';
import type { PromptResponseDto } from '../prompts/dto/prompt.response.dto';
import { PromptsService } from '../prompts/prompts.service';
import type { ListTemplatesQueryDto, TemplateResponseDto, UseTemplateDto } from './dto/template.dto';
import { type PromptTemplate, TEMPLATES } from './templates.catalogue';

const BY_ID = new Map(TEMPLATES.map((t) => [t.id, t]));

/** Copies, so that no caller can change the catalogue through a response object. */
const toDto = (t: PromptTemplate): TemplateResponseDto => ({
  id: t.id,
  title: t.title,
  description: t.description,
  category: t.category,
  content: t.content,
  variables: t.variables.map((v) => ({ ...v, ...(v.options ? { options: [...v.options] } : {}) })),
  metadata: { ...t.metadata },
});

/** The change note of version 1 of a prompt made from a template. */
export const templateChangeNote = (t: Pick<PromptTemplate, 'title'>) => `Created from template ${t.title}`;

/**
 * Starter templates: the static catalogue (`templates.catalogue.ts`), filtered for browsing, and
 * copied into the organization as an ordinary prompt. The copy goes through `PromptsService.create`,
 * so the role check, the plan's prompt limit, the version, the audit event and the outbox row are
 * exactly those of `POST /prompts`.
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly prompts: PromptsService,
    private readonly audit: AuditService,
  ) {}

  /** Templates in catalogue order; `q` matches title, description or content, case-insensitively. */
  list(query: ListTemplatesQueryDto): TemplateResponseDto[] {
    const q = query.q?.toLocaleLowerCase();
    return TEMPLATES.filter(
      (t) =>
        (!query.category || t.category === query.category) &&
        (!q || [t.title, t.description, t.content].some((f) => f.toLocaleLowerCase().includes(q))),
    ).map(toDto);
  }

  get(id: string): TemplateResponseDto {
    const template = BY_ID.get(id);
    if (!template) throw notFound('Template');
    return toDto(template);
  }

  /** Creates a prompt (version 1, a draft with organization visibility) from the template. */
  async use(caller: Caller, id: string, dto: UseTemplateDto): Promise<PromptResponseDto> {
    const template = BY_ID.get(id);
    if (!template) throw notFound('Template');
    const prompt = await this.prompts.create(caller, {
      title: template.title,
      description: template.description,
      content: template.content,
      variables: template.variables.map((v) => ({ ...v })),
      metadata: { ...template.metadata },
      collectionId: dto.collectionId ?? undefined,
      changeNote: templateChangeNote(template),
    });
    await this.audit.record({
      action: 'template.used',
      target: { type: 'prompt', id: prompt.id },
      changes: { templateId: template.id },
    });
    return prompt;
  }
}
