import { MediaMatcher } from '@angular/cdk/layout';
import { Provider } from '@angular/core';
import { BROWSER_STORAGE, MemoryStorage } from '../app/core/storage/browser-storage';

/** Accessible name: aria-label, else aria-labelledby target text, else text content. */
export function accessibleName(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return label.trim();
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) {
    const target = element.ownerDocument.getElementById(labelledBy);
    if (target) return (target.textContent ?? '').trim();
  }
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

const IMPLICIT_ROLES: Record<string, string> = {
  button: 'button',
  a: 'link',
  nav: 'navigation',
  main: 'main',
  ul: 'list',
  li: 'listitem',
  h1: 'heading',
  h2: 'heading',
  h3: 'heading',
};

function roleOf(element: Element): string | null {
  return element.getAttribute('role') ?? IMPLICIT_ROLES[element.tagName.toLowerCase()] ?? null;
}

/** All elements with the role (explicit or implicit) whose accessible name matches. */
export function queryAllByRole(root: Element, role: string, name?: string | RegExp): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('*')).filter((element) => {
    if (roleOf(element) !== role) return false;
    if (name === undefined) return true;
    const actual = accessibleName(element);
    return typeof name === 'string' ? actual === name : name.test(actual);
  });
}

export function getByRole(root: Element, role: string, name?: string | RegExp): HTMLElement {
  const matches = queryAllByRole(root, role, name);
  if (matches.length !== 1) {
    throw new Error(`Expected one ${role} named ${String(name)}, found ${matches.length}`);
  }
  return matches[0];
}

/** A MediaMatcher whose queries answer `matches` (jsdom has no matchMedia). */
export function fakeMediaMatcher(matches: boolean): Provider {
  return {
    provide: MediaMatcher,
    useValue: {
      matchMedia: (media: string) =>
        ({
          matches,
          media,
          addListener: () => undefined,
          removeListener: () => undefined,
          addEventListener: () => undefined,
          removeEventListener: () => undefined,
        }) as unknown as MediaQueryList,
    },
  };
}

export function memoryStorage(initial: Record<string, string> = {}): {
  storage: MemoryStorage;
  provider: Provider;
} {
  const storage = new MemoryStorage();
  for (const [key, value] of Object.entries(initial)) storage.setItem(key, value);
  return { storage, provider: { provide: BROWSER_STORAGE, useValue: storage } };
}
