import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { ProblemError } from '../../../core/http/problem';
import { SessionStore } from '../../../core/session/session.store';
import { PrivacyApi } from './privacy.api';

/** A downloaded file: its content and the name the server suggested. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** The organizations a 409 `last_owner` names: the user is their last OWNER and others are members. */
export function lastOwnerOrganizations(error: unknown): Array<{ id: string; name: string }> {
  if (!(error instanceof ProblemError) || error.problem.code !== 'last_owner') return [];
  const organizations = error.problem.extensions?.['organizations'];
  return Array.isArray(organizations)
    ? organizations.filter(
        (o): o is { id: string; name: string } =>
          typeof o === 'object' && o !== null && typeof o.id === 'string' && typeof o.name === 'string',
      )
    : [];
}

export function filenameOf(disposition: string | null, fallback: string): string {
  const match = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return match?.[1] ?? fallback;
}

/** The account page's GDPR actions: download my data, erase my account. */
@Injectable()
export class AccountPrivacyStore {
  private readonly api = inject(PrivacyApi);
  private readonly session = inject(SessionStore);
  readonly exporting = signal(false);

  async exportMine(): Promise<DownloadedFile> {
    this.exporting.set(true);
    try {
      const response = await firstValueFrom(this.api.exportMine());
      return {
        blob: response.body ?? new Blob([], { type: 'application/json' }),
        filename: filenameOf(response.headers.get('Content-Disposition'), 'prompt-vault-personal-data.json'),
      };
    } finally {
      this.exporting.set(false);
    }
  }

  /** Erases the account, then forgets the (ended) session here. */
  async eraseMine(password: string | null): Promise<void> {
    await firstValueFrom(this.api.eraseMine(password), { defaultValue: undefined });
    this.session.signOut();
  }
}
