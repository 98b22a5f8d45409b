import { inject, Injectable } from '@angular/core';
import { BROWSER_STORAGE } from '../../../core/storage/browser-storage';

/** Where the portal keeps the prompts this browser used, per organization. */
export const RECENT_PROMPTS_KEY = 'pv.portal.recent';
const KEEP = 8;

export interface RecentPrompt {
  id: string;
  title: string;
}

type RecentByOrganization = Record<string, RecentPrompt[]>;

function isRecent(value: unknown): value is RecentPrompt {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RecentPrompt).id === 'string' &&
    typeof (value as RecentPrompt).title === 'string'
  );
}

/**
 * "Recently used" of the portal: the prompts this browser opened or rendered, newest first, at
 * most eight per organization. Kept in the browser: the API has no per-user history of use.
 */
@Injectable({ providedIn: 'root' })
export class RecentPrompts {
  private readonly storage = inject(BROWSER_STORAGE);

  list(organizationId: string): RecentPrompt[] {
    const list = this.read()[organizationId];
    return Array.isArray(list) ? list.filter(isRecent).slice(0, KEEP) : [];
  }

  remember(organizationId: string, prompt: RecentPrompt): void {
    const all = this.read();
    all[organizationId] = [
      { id: prompt.id, title: prompt.title },
      ...this.list(organizationId).filter((p) => p.id !== prompt.id),
    ].slice(0, KEEP);
    this.storage.setItem(RECENT_PROMPTS_KEY, JSON.stringify(all));
  }

  private read(): RecentByOrganization {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(RECENT_PROMPTS_KEY) ?? '{}');
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as RecentByOrganization)
        : {};
    } catch {
      return {};
    }
  }
}
