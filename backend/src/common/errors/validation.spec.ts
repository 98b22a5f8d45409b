import { ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { createValidationPipe } from './validation';

class ListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @IsOptional()
  @IsIn(['updated', 'title'])
  sort?: string;
}

const query = { type: 'query' as const, metatype: ListQuery };

describe('the validation pipe', () => {
  let pipe: ValidationPipe;
  let validations: jest.SpyInstance;

  beforeEach(() => {
    pipe = createValidationPipe();
    validations = jest.spyOn(pipe as unknown as { validate: () => unknown }, 'validate');
  });

  it('validates a query string once and afterwards only transforms it, into a new instance each time', async () => {
    const first = await pipe.transform({ limit: '5', sort: 'title' }, query);
    const second = await pipe.transform({ limit: '5', sort: 'title' }, query);
    expect(first).toBeInstanceOf(ListQuery);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect((second as ListQuery).limit).toBe(5);
    expect(validations).toHaveBeenCalledTimes(1);
    // The empty query of a first page: defaults applied, validated once.
    expect(await pipe.transform({}, query)).toEqual(Object.assign(new ListQuery(), { limit: 20 }));
    await pipe.transform({}, query);
    expect(validations).toHaveBeenCalledTimes(2);
  });

  it('refuses an invalid query every time (refusals are never remembered)', async () => {
    await expect(pipe.transform({ limit: '500' }, query)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(pipe.transform({ limit: '500' }, query)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(pipe.transform({ limit: '5', extra: 'x' }, query)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(validations).toHaveBeenCalledTimes(3);
  });

  it('validates in full what is not a flat query of strings, and bodies always', async () => {
    await pipe.transform({ limit: ['5', '6'] as unknown as string }, query).catch(() => undefined);
    await pipe.transform({ limit: ['5', '6'] as unknown as string }, query).catch(() => undefined);
    await pipe.transform({ limit: 5 }, { type: 'body', metatype: ListQuery });
    await pipe.transform({ limit: 5 }, { type: 'body', metatype: ListQuery });
    expect(validations).toHaveBeenCalledTimes(4);
  });
});
