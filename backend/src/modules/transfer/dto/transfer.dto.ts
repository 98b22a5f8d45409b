import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { Optional } from '../../../common/validation/optional';
import { trim } from '../../../common/validation/transforms';
import { TAG_MAX_LENGTH } from '../../prompts/dto/prompt.dto';
import { SearchFiltersDto } from '../../search/dto/search.dto';
import { TAG_NAME, TAG_NAME_MESSAGE } from '../../taxonomy/dto/taxonomy.dto';
import { IMPORT_FORMATS, type ImportFormat } from '../formats/import-readers';

export const DUPLICATE_STRATEGIES = ['skip', 'new_version', 'rename'] as const;
export const EXPORT_FORMATS = ['json', 'csv', 'markdown'] as const;

/** The multipart form of `POST /imports` (documented for Swagger; read by busboy, not by a pipe). */
export class UploadImportDto {
  /** The file: `.csv`, `.json` (prompt-vault/v1), `.md` with YAML front matter, or a `.zip` of those. */
  @ApiProperty({ type: 'string', format: 'binary' })
  file: unknown;

  /** The file's format; detected from its name when absent. */
  @ApiProperty({ enum: IMPORT_FORMATS, required: false })
  format?: ImportFormat;
}

export class CommitImportDto {
  /**
   * What to do with a row whose slug a prompt of the organization (or an earlier row of the file)
   * has: `skip` it, add a `new_version` to that prompt, or `rename` (create it as `slug-2`, …).
   */
  @IsIn(DUPLICATE_STRATEGIES)
  onDuplicate: (typeof DUPLICATE_STRATEGIES)[number];

  /** Files every imported prompt in this collection (instead of the file's `collection`). */
  @Optional()
  @IsUUID()
  collectionId?: string;

  /** Tags added to every imported prompt (besides the file's own). */
  @Optional()
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)) : value,
  )
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(TAG_MAX_LENGTH, { each: true })
  @Matches(TAG_NAME, { each: true, message: `each tag ${TAG_NAME_MESSAGE}` })
  tags?: string[];
}

export class CreateExportDto {
  /** `json` (prompt-vault/v1, every version and label), `csv` (current versions) or `markdown` (a zip of .md files). */
  @IsIn(EXPORT_FORMATS)
  format: (typeof EXPORT_FORMATS)[number];

  /** Export these prompts (at most 1000). Give at most one of `ids`, `collectionId`, a search (`query` and/or `filters`); none exports everything you can see. */
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  ids?: string[];

  /** Export a collection with its sub-collections. */
  @Optional()
  @IsUUID()
  collectionId?: string;

  /** Export what this search finds (the language of `GET /search?q=`; at most 10,000 prompts). */
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  query?: string;

  /**
   * The search's filters, as `GET /search` takes them (tags, category, author, status, dates,
   * favorites, high cost): with `query` they narrow what it finds; alone they are the search (the
   * search page's filters without words). Not with `ids` or `collectionId`.
   */
  @Optional()
  @ValidateNested()
  @Type(() => SearchFiltersDto)
  filters?: SearchFiltersDto;

  /** JSON only: include every version (default true). CSV and Markdown hold current versions. */
  @Optional()
  @IsBoolean()
  includeVersions?: boolean;
}

export class ListExportsQueryDto extends PageQueryDto {}
