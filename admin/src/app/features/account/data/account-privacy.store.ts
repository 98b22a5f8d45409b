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
export function lastOwnerOrganizations(error: unknown): { id: string; name: string }[] {
  if (!(error instanceof ProblemError) || error.problem.code !== 'last_owner') return [];
  const organizations: unknown = error.problem.extensions?.['organizations'];
  if (!Array.isArray(organizations)) return [];
  return organizations.filter((o: unknown): o is { id: string; name: string } => {
    const candidate = o as { id?: unknown; name?: unknown } | null;
    return (
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof candidate.id === 'string' &&
      typeof candidate.name === 'string'
    );
  });
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
