import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { fakeMediaMatcher, memoryStorage } from '../../../testing/test-helpers';
import { STORAGE_KEYS } from '../storage/browser-storage';
import { ThemeService } from './theme.service';

function setup(options: { prefersDark: boolean; stored?: string }) {
  const { storage, provider } = memoryStorage(options.stored ? { [STORAGE_KEYS.theme]: options.stored } : {});
  TestBed.configureTestingModule({ providers: [provider, fakeMediaMatcher(options.prefersDark)] });
  const service = TestBed.inject(ThemeService);
  TestBed.tick();
  const root = TestBed.inject(DOCUMENT).documentElement;
  return { service, storage, root };
}

describe('ThemeService', () => {
  afterEach(() => {
    TestBed.inject(DOCUMENT).documentElement.style.colorScheme = '';
  });

  it('follows the system preference when nothing is stored', () => {
    const { service, root, storage } = setup({ prefersDark: true });
    expect(service.scheme()).toBe('dark');
    expect(root.style.colorScheme).toBe('dark');
    expect(storage.getItem(STORAGE_KEYS.theme)).toBeNull();
  });

  it('defaults to light when the system prefers light', () => {
    const { service, root } = setup({ prefersDark: false });
    expect(service.isDark()).toBe(false);
    expect(root.style.colorScheme).toBe('light');
  });

  it('toggles the color scheme on the document and persists the choice', () => {
    const { service, root, storage } = setup({ prefersDark: false });

    service.toggle();
    TestBed.tick();
    expect(service.scheme()).toBe('dark');
    expect(root.style.colorScheme).toBe('dark');
    expect(storage.getItem(STORAGE_KEYS.theme)).toBe('dark');

    service.toggle();
    TestBed.tick();
    expect(root.style.colorScheme).toBe('light');
    expect(storage.getItem(STORAGE_KEYS.theme)).toBe('light');
  });

  it('prefers a stored choice over the system preference', () => {
    const { service, root } = setup({ prefersDark: true, stored: 'light' });
    expect(service.scheme()).toBe('light');
    expect(root.style.colorScheme).toBe('light');
  });

  it('ignores a stored value that is not a scheme', () => {
    const { service } = setup({ prefersDark: true, stored: 'purple' });
    expect(service.scheme()).toBe('dark');
  });
});
