import { defineErrors } from '../../common/errors/domain.exception';

/** Provider key rules (see API-CONTRACT.md, "Provider keys, runs and evaluations"). */
export class ProviderKeyException extends defineErrors('provider-keys', {
  /** Another key of the organization has this name (names ignore case). */
  provider_key_name_taken: { status: 409, title: 'Provider key name already taken' },
}) {}
