import { Injectable, signal } from '@angular/core';

/**
 * Invitation links created in this browser session, by invite id. The API stores invite tokens
 * hashed and returns the link only when the invite is created, so an older pending invite has
 * no link to copy; it can be revoked and sent again.
 */
@Injectable({ providedIn: 'root' })
export class InviteLinks {
  private readonly links = signal<ReadonlyMap<string, string>>(new Map());

  remember(inviteId: string, url: string): void {
    this.links.update((links) => new Map(links).set(inviteId, url));
  }

  get(inviteId: string): string | undefined {
    return this.links().get(inviteId);
  }
}
