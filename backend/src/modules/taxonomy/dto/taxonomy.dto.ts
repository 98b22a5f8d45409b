import { Transform } from 'class-transformer';
import { IsBoolean, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { trim } from '../../../common/validation/transforms';
import { Optional, Nullable } from '../../../common/validation/optional';

/** Commas separate tags in search filters (`?tags=a,b`), so a tag name cannot contain one. */
export const TAG_NAME = /^[^,\p{Cc}]+$/u;
export const TAG_NAME_MESSAGE = 'name must not contain commas or control characters';

export class CreateTagDto {
  /** 1–50 characters, no commas; unique in the organization regardless of case. */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @Matches(TAG_NAME, { message: TAG_NAME_MESSAGE })
  name: string;
}

export class RenameTagDto extends CreateTagDto {}

export class MergeTagDto {
  /** The tag that survives: every prompt that carried the merged tag carries this one afterwards. */
  @IsUUID()
  into: string;
}

export class TagListQueryDto extends PageQueryDto {
  /** Only tags whose name starts with this text (case-insensitive), for autocompletion. */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  q?: string;
}

export class CreateCategoryDto {
  /** 1–100 characters; unique in the organization regardless of case. */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** Up to 1000 characters. */
  @Optional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class UpdateCategoryDto {
  /** New name, 1–100 characters; unique in the organization regardless of case. */
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  /** New description (up to 1000 characters); `null` clears it. */
  @Nullable()
  @IsString()
  @MaxLength(1000)
  description?: string | null;
}

export class CreateCollectionDto {
  /** 1–100 characters; unique among its siblings regardless of case. */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** Up to 1000 characters. */
  @Optional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /** The collection to nest this one in; omitted for a top-level collection. */
  @Optional()
  @IsUUID()
  parentId?: string;
}

export class UpdateCollectionDto {
  /** New name, 1–100 characters; unique among its siblings regardless of case. */
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  /** New description (up to 1000 characters); `null` clears it. */
  @Nullable()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  /** Moves the collection under another one; `null` makes it top-level. Moving it under itself or one of its descendants answers 409. */
  @Nullable()
  @IsUUID()
  parentId?: string | null;
}

export class DeleteCollectionQueryDto {
  /**
   * `true` also deletes every sub-collection; their prompts (and this collection's) become
   * unfiled. Prompts themselves are never deleted. Without it, a collection that has
   * sub-collections or prompts answers 409.
   */
  @Optional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'cascade must be true or false' })
  cascade?: boolean;
}
