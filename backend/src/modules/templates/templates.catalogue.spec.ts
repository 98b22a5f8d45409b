import { CreatePromptDto } from '../prompts/dto/prompt.dto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { extractVariables, mergeVariables } from '../prompts/variables';
import { TEMPLATE_CATEGORIES, TEMPLATES } from './templates.catalogue';
import { templateChangeNote, TemplatesService } from './templates.service';

describe('the starter template catalogue', () => {
  it('has at least 30 templates with unique, stable-looking ids prefixed by their category', () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(30);
    const ids = TEMPLATES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of TEMPLATES) expect(t.id).toMatch(new RegExp(`^${t.category}-[a-z0-9]+(-[a-z0-9]+)*$`));
  });

  it('has at least 4 templates in every category', () => {
    for (const category of TEMPLATE_CATEGORIES)
      expect(TEMPLATES.filter((t) => t.category === category).length).toBeGreaterThanOrEqual(4);
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))(
    '%s passes the variable rules of POST /prompts',
    (_id, t) => {
      // Exactly the placeholders of the content are declared, in order of first use, and the
      // merge the create runs reports nothing (selects have options, defaults fit their type, …).
      expect(t.variables.map((v) => v.name)).toEqual(extractVariables(t.content));
      const { variables, errors } = mergeVariables(t.content, t.variables);
      expect(errors).toEqual([]);
      expect(variables).toEqual(t.variables);
      for (const v of t.variables) expect(v.description?.length).toBeGreaterThan(0);
      // And the body the use endpoint hands to PromptsService.create passes the DTO's validation.
      const dto = plainToInstance(CreatePromptDto, {
        title: t.title,
        description: t.description,
        content: t.content,
        variables: t.variables,
        metadata: t.metadata,
        changeNote: templateChangeNote(t),
      });
      expect(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
      expect(t.metadata.model).toBeTruthy();
      expect(t.content.length).toBeGreaterThan(200);
    },
  );
});

describe('TemplatesService.list / get', () => {
  const service = new TemplatesService(null as never, null as never);

  it('filters by category and by q over title, description and content, case-insensitively', () => {
    expect(service.list({}).map((t) => t.id)).toEqual(TEMPLATES.map((t) => t.id));
    const coding = service.list({ category: 'coding' });
    expect(coding.length).toBeGreaterThanOrEqual(4);
    expect(coding.every((t) => t.category === 'coding')).toBe(true);
    expect(service.list({ q: 'LAUNCH EMAIL' }).map((t) => t.id)).toContain('marketing-product-launch-email');
    // "SPIN style" appears in the content only.
    expect(service.list({ q: 'spin STYLE' }).map((t) => t.id)).toEqual(['sales-discovery-call-prep']);
    expect(service.list({ category: 'hr', q: 'spin style' })).toEqual([]);
    expect(service.list({ q: 'no template says this' })).toEqual([]);
  });

  it('answers copies, so a caller cannot change the catalogue', () => {
    const t = service.get('coding-sql-query-writer');
    t.variables[0].options!.push('Oracle');
    t.metadata.temperature = 2;
    expect(service.get('coding-sql-query-writer').variables[0].options).not.toContain('Oracle');
    expect(service.get('coding-sql-query-writer').metadata.temperature).toBe(0.2);
    expect(() => service.get('nope')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
