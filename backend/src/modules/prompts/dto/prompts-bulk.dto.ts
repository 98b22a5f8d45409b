import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { TAG_NAME, TAG_NAME_MESSAGE } from '../../taxonomy/dto/taxonomy.dto';

export const BULK_ACTIONS = ['tag', 'untag', 'move', 'archive', 'publish', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

const trimEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)) : value;

export class BulkPromptsDto {
  /** The prompts to act on: 1–100 distinct ids. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'ids must not repeat an id' })
  @IsUUID('all', { each: true, message: 'each id must be a UUID' })
  ids: string[];

  /**
   * `tag` adds `tags`, `untag` removes them (by name, ignoring case), `move` files the prompts in
   * `collectionId` (null: unfiled), `archive`/`publish` set the status, `delete` deletes them.
   */
  @IsIn(BULK_ACTIONS)
  action: BulkAction;

  /** Tag names for `tag` and `untag` (1–20; created when missing, which needs EDITOR or above). */
  @ValidateIf((o: BulkPromptsDto) => o.action === 'tag' || o.action === 'untag' || o.tags !== undefined)
  @Transform(trimEach)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  @Matches(TAG_NAME, { each: true, message: TAG_NAME_MESSAGE })
  tags?: string[];

  /** For `move`: the collection to file the prompts in, or null to unfile them. */
  @ValidateIf((o: BulkPromptsDto) =>
    o.action === 'move' ? o.collectionId !== null : o.collectionId !== undefined,
  )
  @IsUUID()
  collectionId?: string | null;
}

export class BulkFailureDto {
  id: string;
  /** The HTTP status this id alone would have answered: 404 absent or not visible, 403 not allowed, 409 conflict… */
  status: number;
  detail: string;
}

export class BulkResultDto {
  /** Ids the action was applied to, in request order. */
  succeeded: string[];
  /** Ids it was not applied to, with the reason; their changes (if any) were rolled back. */
  failed: BulkFailureDto[];
}
