import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { getByRole } from '../../../../../testing/test-helpers';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { NotFoundPage } from './not-found-page';

describe('NotFoundPage', () => {
  it('tells the user the page does not exist and links back home', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([{ path: '**', component: NotFoundPage }]), provideAppIcons()],
    });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/some/unknown/page');
    const root = harness.routeNativeElement as HTMLElement;

    expect(getByRole(root, 'heading', 'Page not found').tagName).toBe('H1');
    expect(root.textContent).toContain('/some/unknown/page');
    expect(getByRole(root, 'link', 'Back to the library').getAttribute('href')).toBe('/');
  });
});
