import { ApiProperty } from '@nestjs/swagger';
import { FieldErrorDto } from '../../../common/http/problem.dto';

export class ImportAcceptedDto {
  id: string;
  @ApiProperty({ enum: ['validating', 'ready', 'importing', 'done', 'failed'] })
  status: string;
}

export class ImportCountsDto {
  /** Records found in the file. */
  total: number;
  /** Records without errors. */
  valid: number;
  /** Records with errors (never imported). */
  invalid: number;
  /** Valid records whose slug an earlier record or a prompt of the organization has. */
  duplicates: number;
  /** After the commit: prompts created (renamed ones included). */
  created: number;
  /** After the commit: existing prompts that got a new version. */
  updated: number;
  /** After the commit: records not imported (invalid, or duplicates under `skip`). */
  skipped: number;
  /** After the commit: records the server refused while importing (see the error file). */
  failed: number;
}

export class ImportPreviewRowDto {
  /** The record's number in the file (1 = the first prompt; CSV: the first line after the header). */
  row: number;
  /** Where it is in the file: `line 12`, `prompts[3]`, or a zip entry's name. */
  @ApiProperty({ type: String, nullable: true })
  source: string | null;
  @ApiProperty({ type: String, nullable: true })
  slug: string | null;
  @ApiProperty({ type: String, nullable: true })
  title: string | null;
  /** What the commit does (or did) with it; duplicates read `skip` until committed with another strategy. */
  @ApiProperty({ enum: ['create', 'new_version', 'rename', 'skip'] })
  action: string;
  /** `file`: an earlier record has the slug; `organization`: a prompt you can see has it. */
  @ApiProperty({ enum: ['file', 'organization'], nullable: true })
  duplicate: string | null;
  @ApiProperty({ type: [FieldErrorDto] })
  errors: FieldErrorDto[];
  /** After the commit. */
  @ApiProperty({ enum: ['created', 'updated', 'skipped', 'failed'], nullable: true })
  outcome: string | null;
  /** Why a row was skipped or failed, or a note (a label not set, the new slug). */
  @ApiProperty({ type: String, nullable: true })
  detail: string | null;
  @ApiProperty({ type: String, nullable: true })
  promptId: string | null;
}

export class ImportProgressDto {
  /** Rows handled by the commit so far. */
  done: number;
  total: number;
}

export class ImportPlanLimitDto {
  /** The plan's prompt limit (null: unlimited). */
  @ApiProperty({ type: Number, nullable: true })
  max: number | null;
  /** Prompts the organization has. */
  current: number;
  /** How many more prompts fit (null: unlimited). */
  @ApiProperty({ type: Number, nullable: true })
  remaining: number | null;
  /** Prompts a commit would create with `skip` (new, valid records). */
  wouldCreate: number;
}

export class ImportResponseDto {
  id: string;
  @ApiProperty({ enum: ['validating', 'ready', 'importing', 'done', 'failed'] })
  status: string;
  @ApiProperty({ enum: ['csv', 'json', 'markdown', 'zip'] })
  format: string;
  filename: string;
  sizeBytes: number;
  /** Why the file as a whole was refused (not UTF-8, wrong columns, not a prompt-vault/v1 document, a zip bomb …). */
  @ApiProperty({ type: String, nullable: true })
  error: string | null;
  counts: ImportCountsDto;
  /** Up to 200 rows: those with errors or duplicates first, then the others in file order. */
  @ApiProperty({ type: [ImportPreviewRowDto] })
  preview: ImportPreviewRowDto[];
  progress: ImportProgressDto;
  /** Variable names found in the contents. */
  variables: string[];
  /**
   * While the import is `ready`: how many of its prompts the plan has room for. Null in every other
   * status (nothing to decide then; it is not counted while an import is polled for progress).
   */
  @ApiProperty({ type: ImportPlanLimitDto, nullable: true })
  planLimit: ImportPlanLimitDto | null;
  @ApiProperty({ enum: ['skip', 'new_version', 'rename'], nullable: true })
  onDuplicate: string | null;
  @ApiProperty({ type: String, nullable: true })
  collectionId: string | null;
  @ApiProperty({ type: [String], nullable: true })
  tags: string[] | null;
  createdAt: string;
  @ApiProperty({ type: String, nullable: true })
  completedAt: string | null;
}

export class ExportResponseDto {
  id: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] })
  status: string;
  @ApiProperty({ enum: ['json', 'csv', 'markdown'] })
  format: string;
  /** Prompts in the file (once done). */
  count: number;
  /** Where to download the file, while it has not expired. */
  downloadUrl?: string;
  /** When the file is deleted (EXPORT_TTL_HOURS after it was made). */
  expiresAt?: string;
  filename?: string;
  sizeBytes?: number;
  /** Why the export failed. */
  error?: string;
  createdAt: string;
  completedAt?: string;
}

export class ExportPageDto {
  @ApiProperty({ type: [ExportResponseDto] })
  items: ExportResponseDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
