import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/** What the Import/Export page says for the codes of `modules/transfer/transfer.errors.ts`. */
export const TRANSFER_ERRORS: ErrorCatalogue = {
  import_not_ready: {
    message: 'The file is not ready to import: wait for the preview, or upload a corrected file.',
  },
  import_already_committed: { message: 'This file was already imported with other options.' },
  export_not_ready: { message: 'The export is not finished yet.' },
  export_expired: { message: 'The download link has expired. Start a new export.' },
  payload_too_large: { message: 'The file is larger than the server accepts.' },
};
