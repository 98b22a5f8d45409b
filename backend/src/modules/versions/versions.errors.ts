import { defineErrors } from '../../common/errors/domain.exception';

/**
 * Version and label lookups that tell the client which part of a runtime fetch was missing: the
 * prompt itself stays the common `not_found`, while a missing label or version (of a prompt that
 * exists) lets an SDK fall back to another label or to the current version.
 */
export class VersionException extends defineErrors('versions', {
  version_not_found: { status: 404, title: 'Version not found' },
  version_label_not_found: { status: 404, title: 'Label not found' },
}) {}
