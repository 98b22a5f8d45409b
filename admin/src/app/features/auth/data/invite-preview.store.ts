import { computed, inject, Injectable, signal } from '@angular/core';
import { InvitePreview } from '../../../core/api/api-types';
import { InvitePreviewApi } from './invite-preview.api';

/** An invitation's preview: not asked yet, on its way, read, or refused (404/410, network). */
export type InvitePreviewState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; invite: InvitePreview }
  | { state: 'failed'; error: unknown };

/**
 * What an invitation link is for, read before anyone signs in: the accept page and an invited
 * sign-up show it. `load` asks for a token (a later token's answer wins); pages read `preview`
 * and explain a failure in their own words. Provided by the page that shows it.
 */
@Injectable()
export class InvitePreviewStore {
  private readonly api = inject(InvitePreviewApi);

  readonly preview = signal<InvitePreviewState>({ state: 'idle' });
  /** The invitation once read. */
  readonly invite = computed(() => {
    const p = this.preview();
    return p.state === 'ready' ? p.invite : null;
  });
  /** Why the preview could not be read, null otherwise. */
  readonly error = computed(() => {
    const p = this.preview();
    return p.state === 'failed' ? p.error : null;
  });

  private generation = 0;

  /** Reads the token's invitation; answers it (null when refused or superseded by a later load). */
  async load(token: string): Promise<InvitePreview | null> {
    const generation = ++this.generation;
    this.preview.set({ state: 'loading' });
    try {
      const invite = await this.api.get(token);
      if (generation !== this.generation) return null;
      this.preview.set({ state: 'ready', invite });
      return invite;
    } catch (error) {
      if (generation === this.generation) this.preview.set({ state: 'failed', error });
      return null;
    }
  }
}
