import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { LIBRARY_ROUTES } from '../../features/library/library.routes';
import { idSegmentAt } from './id-param';

@Component({
  selector: 'pv-fake-not-found',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: 'not found',
})
class FakeNotFound {}

describe('idSegmentAt', () => {
  it('matches ids only', () => {
    const match = idSegmentAt(1);
    const at = (path: string) => [{ path: 'prompts' }, { path }] as never;
    expect(match({}, at('6f1f3f0e-1b1a-4c1e-9b7e-3f3c2b1a0d9e'))).toBe(true);
    expect(match({}, at('not-a-uuid'))).toBe(false);
    expect(match({}, [{ path: 'prompts' }] as never)).toBe(false);
  });

  it('sends a malformed prompt URL to the not-found page', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([...LIBRARY_ROUTES, { path: '**', component: FakeNotFound }])],
    });
    const harness = await RouterTestingHarness.create();
    for (const url of ['/prompts/not-a-uuid', '/prompts/not-a-uuid/edit', '/prompts/123']) {
      const page = await harness.navigateByUrl(url);
      expect(page).toBeInstanceOf(FakeNotFound);
      expect(TestBed.inject(Router).url).toBe(url);
    }
  });
});
