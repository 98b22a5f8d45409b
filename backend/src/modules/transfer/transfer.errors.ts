import { defineErrors } from '../../common/errors/domain.exception';

/** Import and export rules (API-CONTRACT.md "Import and export", docs/import-export.md). */
export class TransferException extends defineErrors('transfer', {
  /** The import is still being validated, or its validation failed: nothing to commit. */
  import_not_ready: { status: 409, title: 'Import is not ready to commit' },
  /** The import was already committed with other options; a repeated commit must repeat them. */
  import_already_committed: { status: 409, title: 'Import was already committed' },
  /** The export has not finished (or failed): there is no file to download yet. */
  export_not_ready: { status: 409, title: 'Export is not ready' },
  /** The export's download link expired (EXPORT_TTL_HOURS); request a new export. */
  export_expired: { status: 410, title: 'Export has expired' },
}) {}
