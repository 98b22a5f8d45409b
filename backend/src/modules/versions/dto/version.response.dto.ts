import { ApiProperty } from '@nestjs/swagger';
import { PromptMetadataResponseDto, VariableResponseDto } from '../../prompts/dto/prompt.response.dto';

/** A version in the history list. */
export class VersionSummaryResponseDto {
  version: number;
  title: string;
  /** Who saved it (null if that user was deleted). */
  changedBy: string | null;
  changeNote: string | null;
  createdAt: string;
}

export class VersionPageResponseDto {
  /** Newest first. */
  items: VersionSummaryResponseDto[];
  nextCursor: string | null;
}

/** The full, immutable snapshot of a version. */
export class VersionResponseDto extends VersionSummaryResponseDto {
  promptId: string;
  description: string;
  content: string;
  variables: VariableResponseDto[];
  metadata: PromptMetadataResponseDto;
}

export class HunkDto {
  @ApiProperty({ enum: ['equal', 'insert', 'delete'] })
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Hunks per changed field; unchanged fields are absent. */
export class DiffFieldsDto {
  title?: HunkDto[];
  description?: HunkDto[];
  /** Word level while short, line level for long content. */
  content?: HunkDto[];
  /** Line diff of the variables as stable (key-sorted) JSON. */
  variables?: HunkDto[];
  /** Line diff of the metadata as stable (key-sorted) JSON. */
  metadata?: HunkDto[];
}

export class DiffResponseDto {
  from: number;
  to: number;
  fields: DiffFieldsDto;
}

/** Where a release label points. */
export class LabelResponseDto {
  label: string;
  version: number;
  updatedBy: string | null;
  updatedAt: string;
}

/** One move of a label. */
export class LabelMoveResponseDto {
  id: string;
  label: string;
  /** null when the label was new. */
  fromVersion: number | null;
  toVersion: number;
  movedBy: string | null;
  movedAt: string;
}

export class LabelMovePageResponseDto {
  /** Newest first. */
  items: LabelMoveResponseDto[];
  nextCursor: string | null;
}

/** What an application needs to run a prompt version (runtime fetch). */
export class RuntimePromptResponseDto {
  id: string;
  slug: string;
  /** The version served. */
  version: number;
  /** The label asked for, if any. */
  label: string | null;
  title: string;
  content: string;
  variables: VariableResponseDto[];
  metadata: PromptMetadataResponseDto;
  /** When this version was saved. */
  createdAt: string;
}
