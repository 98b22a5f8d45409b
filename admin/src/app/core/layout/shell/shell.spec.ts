import { BreakpointObserver, BreakpointState } from '@angular/cdk/layout';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { DeferBlockState, TestBed } from '@angular/core/testing';
import { provideRouter, Router, Routes } from '@angular/router';
import { BehaviorSubject } from 'rxjs';
import { fakeMediaMatcher, getByRole, memoryStorage, queryAllByRole } from '../../../../testing/test-helpers';
import { provideAppIcons } from '../../icons/app-icons';
import { COMPACT_QUERY, Shell } from './shell';

@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class Blank {}

/** `narrow`: below the navigation breakpoint; `compact`: a phone (below the toolbar's breakpoint too). */
async function render(narrow: boolean, compact = false, routes: Routes = []) {
  const breakpoints = new BehaviorSubject<BreakpointState>({ matches: narrow, breakpoints: {} });
  const phone = new BehaviorSubject<BreakpointState>({ matches: compact, breakpoints: {} });
  TestBed.configureTestingModule({
    imports: [Shell],
    providers: [
      provideRouter(routes),
      provideHttpClient(),
      provideHttpClientTesting(),
      provideAppIcons(),
      memoryStorage().provider,
      fakeMediaMatcher(false),
      {
        provide: BreakpointObserver,
        useValue: {
          observe: (query: string) => (query === COMPACT_QUERY ? phone : breakpoints).asObservable(),
        },
      },
    ],
  });
  // The toolbar search box is a @defer block, whose dependencies TestBed resolves here.
  await TestBed.compileComponents();
  const fixture = TestBed.createComponent(Shell);
  await fixture.whenStable();
  // The navigation list and the session menus are @defer blocks: render them as they will be.
  for (const block of await fixture.getDeferBlocks()) await block.render(DeferBlockState.Complete);
  await fixture.whenStable();
  return { fixture, root: fixture.nativeElement as HTMLElement, breakpoints };
}

describe('Shell', () => {
  it('renders the toolbar with the app name and the theme toggle', async () => {
    const { root } = await render(false);
    const banner = getByRole(root, 'banner');
    expect(banner.textContent).toContain('Prompt Vault');
    expect(getByRole(banner, 'button', 'Dark theme')).toBeTruthy();
  });

  it('renders the main navigation with Library and System status links', async () => {
    const { root } = await render(false);
    const nav = getByRole(root, 'navigation', 'Main navigation');
    const links = queryAllByRole(nav, 'link');
    expect(links.map((link) => (link.textContent ?? '').trim())).toEqual(['Library', 'System status']);
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/', '/status']);
  });

  it('gives every icon-only button of the toolbar a tooltip and an accessible name', async () => {
    const { root } = await render(true);
    const buttons = Array.from(root.querySelectorAll<HTMLElement>('[mat-icon-button]'));
    expect(buttons.length).toBeGreaterThanOrEqual(2); // the menu button and the theme toggle at least
    for (const button of buttons) {
      expect(button.classList).toContain('mat-mdc-tooltip-trigger');
      expect(button.getAttribute('aria-label')).toBeTruthy();
    }
  });

  it('marks the section of the current page, nested pages included (a prompt page is Library)', async () => {
    const { root, fixture } = await render(false, false, [
      { path: '', component: Blank },
      { path: 'prompts/:id', component: Blank },
      { path: 'status', component: Blank },
    ]);
    const router = TestBed.inject(Router);
    const nav = getByRole(root, 'navigation', 'Main navigation');
    const current = () =>
      queryAllByRole(nav, 'link')
        .filter((link) => link.getAttribute('aria-current') === 'page')
        .map((link) => (link.textContent ?? '').trim());

    await router.navigateByUrl('/');
    await fixture.whenStable();
    expect(current()).toEqual(['Library']);

    await router.navigateByUrl('/prompts/p1?tab=versions');
    await fixture.whenStable();
    expect(current()).toEqual(['Library']);

    await router.navigateByUrl('/status');
    await fixture.whenStable();
    expect(current()).toEqual(['System status']);
  });

  it('shows the navigation beside the content on wide screens, without a menu button', async () => {
    const { root } = await render(false);
    expect(queryAllByRole(root, 'button', 'Toggle navigation')).toHaveLength(0);
    const sidenav = root.querySelector('mat-sidenav') as HTMLElement;
    expect(sidenav.classList).toContain('mat-drawer-side');
    expect(sidenav.classList).toContain('mat-drawer-opened');
  });

  it('turns the navigation into an overlay behind a menu button on narrow screens', async () => {
    const { root, fixture } = await render(true);
    const sidenav = root.querySelector('mat-sidenav') as HTMLElement;
    expect(sidenav.classList).toContain('mat-drawer-over');
    expect(sidenav.classList).not.toContain('mat-drawer-opened');

    getByRole(root, 'button', 'Toggle navigation').click();
    await fixture.whenStable();
    expect(sidenav.classList).toContain('mat-drawer-opened');
  });

  it('toggles the theme from the toolbar button', async () => {
    const { root, fixture } = await render(false);
    const toggle = getByRole(root, 'button', 'Dark theme');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    toggle.click();
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(document.documentElement.style.colorScheme).toBe('dark');
    document.documentElement.style.colorScheme = '';
  });

  it('shows no organization switcher when signed out', async () => {
    const { root } = await render(false);
    const banner = getByRole(root, 'banner');
    expect(queryAllByRole(banner, 'button', /^Organization: /)).toHaveLength(0);
    expect(getByRole(banner, 'link', 'Sign in').getAttribute('href')).toBe('/sign-in');
  });

  it('folds the organization switcher, theme toggle and account menu into one menu on a phone', async () => {
    const { root, fixture } = await render(true, true);
    const banner = getByRole(root, 'banner');
    expect(queryAllByRole(banner, 'button', 'Dark theme')).toHaveLength(0);
    expect(queryAllByRole(banner, 'link', 'Sign in')).toHaveLength(0);
    expect(banner.querySelectorAll('pv-session-menu')).toHaveLength(1);

    getByRole(banner, 'button', 'Account and theme').click();
    await fixture.whenStable();
    const dark = getByRole(document.body, 'menuitemcheckbox', 'Dark theme');
    expect(dark.getAttribute('aria-checked')).toBe('false');
    expect(getByRole(document.body, 'menuitem', 'Sign in')).toBeTruthy();
    dark.click();
    await fixture.whenStable();
    expect(document.documentElement.style.colorScheme).toBe('dark');
    document.documentElement.style.colorScheme = '';
  });

  it('opens the phone drawer below the top bar, not under it', async () => {
    const { root, fixture } = await render(true, true);
    getByRole(root, 'button', 'Toggle navigation').click();
    await fixture.whenStable();
    const sidenav = root.querySelector('mat-sidenav') as HTMLElement;
    expect(sidenav.style.top).toBe('56px');
  });

  it('offers a skip link first that moves the focus to the main content', async () => {
    const { root } = await render(false);
    document.body.append(root);
    const skip = getByRole(root, 'link', 'Skip to main content');
    expect(root.querySelector('a, button')).toBe(skip);
    skip.click();
    expect(document.activeElement).toBe(getByRole(root, 'main'));
    root.remove();
  });
});
