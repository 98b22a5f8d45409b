import { DOCUMENT } from '@angular/common';
import { computed, effect, inject, Injectable, signal } from '@angular/core';
import { MediaMatcher } from '@angular/cdk/layout';
import { BROWSER_STORAGE, STORAGE_KEYS } from '../storage/browser-storage';

export type ColorScheme = 'light' | 'dark';

const PREFERS_DARK = '(prefers-color-scheme: dark)';

function isColorScheme(value: unknown): value is ColorScheme {
  return value === 'light' || value === 'dark';
}

/**
 * Light/dark theme. An explicit choice is stored; without one the operating system's
 * preference applies. The scheme is applied as `color-scheme` on <html>, which the
 * Material 3 tokens (light-dark()) follow.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly storage = inject(BROWSER_STORAGE);
  private readonly document = inject(DOCUMENT);
  private readonly media = inject(MediaMatcher).matchMedia(PREFERS_DARK);

  private readonly stored = this.storage.getItem(STORAGE_KEYS.theme);
  private readonly explicit = signal<ColorScheme | null>(isColorScheme(this.stored) ? this.stored : null);
  private readonly systemPrefersDark = signal(this.media.matches);

  readonly scheme = computed<ColorScheme>(
    () => this.explicit() ?? (this.systemPrefersDark() ? 'dark' : 'light'),
  );
  readonly isDark = computed(() => this.scheme() === 'dark');

  constructor() {
    // CDK's fallback matcher (no matchMedia, e.g. jsdom) has no addEventListener.
    this.media.addEventListener?.('change', (event) => this.systemPrefersDark.set(event.matches));
    effect(() => {
      this.document.documentElement.style.colorScheme = this.scheme();
    });
  }

  toggle(): void {
    this.set(this.isDark() ? 'light' : 'dark');
  }

  set(scheme: ColorScheme): void {
    this.explicit.set(scheme);
    this.storage.setItem(STORAGE_KEYS.theme, scheme);
  }
}
