import type { Role } from '../../../common/context/request-context';
import { AuditEventResponseDto } from '../../audit/dto/audit-event.response.dto';

export class ExportProfileDto {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  /** Whether the account signs in with a password (false: single sign-on only). */
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export class ExportMembershipDto {
  organizationId: string;
  organizationName: string;
  slug: string;
  role: Role;
  joinedAt: string;
}

export class ExportSessionDto {
  /** The session (refresh-token family). */
  id: string;
  createdAt: string;
  /** When the session last refreshed its tokens. */
  lastUsedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** Set for a single sign-on session: the one organization it acts in. */
  organizationScope: string | null;
}

export class ExportPromptDto {
  id: string;
  slug: string;
  title: string;
  description: string;
  content: string;
  variables: unknown;
  metadata: Record<string, unknown>;
  status: string;
  visibility: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export class ExportVersionDto {
  promptId: string;
  version: number;
  title: string;
  description: string;
  content: string;
  changeNote: string | null;
  createdAt: string;
}

export class ExportCommentDto {
  id: string;
  promptId: string;
  parentId: string | null;
  content: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export class ExportFavoriteDto {
  promptId: string;
  createdAt: string;
}

export class ExportSavedSearchDto {
  id: string;
  name: string;
  query: string;
  filters: Record<string, unknown>;
  shared: boolean;
  createdAt: string;
  updatedAt: string;
}

/** API key metadata: never the key or its hash. */
export class ExportApiKeyDto {
  id: string;
  name: string;
  /** The key's visible prefix. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** What one organization where the user is a member holds about them. */
export class ExportOrganizationDataDto {
  organizationId: string;
  organizationName: string;
  /** Prompts they wrote (private ones included). */
  prompts: ExportPromptDto[];
  /** Versions they saved, of prompts they can see. */
  versions: ExportVersionDto[];
  comments: ExportCommentDto[];
  favorites: ExportFavoriteDto[];
  savedSearches: ExportSavedSearchDto[];
  apiKeys: ExportApiKeyDto[];
  /** Audit events where they (or one of their API keys) are the actor, oldest first. */
  auditEvents: AuditEventResponseDto[];
}

/** Everything Prompt Vault holds about the signed-in user (`GET /me/export`). */
export class PersonalDataExportDto {
  exportedAt: string;
  profile: ExportProfileDto;
  memberships: ExportMembershipDto[];
  /** Sessions: refresh-token metadata, never the tokens or their hashes. */
  sessions: ExportSessionDto[];
  organizations: ExportOrganizationDataDto[];
}

export class MemberErasureResponseDto {
  /** How many audit events lost the user's personal data (e-mail, IP address, user agent). */
  erasedEvents: number;
}

/** A `last_owner` answer to `DELETE /me` lists these (problem member `organizations`). */
export class LastOwnerOrganizationDto {
  id: string;
  name: string;
}
