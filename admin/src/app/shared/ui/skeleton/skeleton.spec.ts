import { TestBed } from '@angular/core/testing';
import { getByRole } from '../../../../testing/test-helpers';
import { Skeleton, SkeletonVariant } from './skeleton';

async function render(variant: SkeletonVariant, count: number, label?: string) {
  TestBed.configureTestingModule({ imports: [Skeleton] });
  const fixture = TestBed.createComponent(Skeleton);
  fixture.componentRef.setInput('variant', variant);
  fixture.componentRef.setInput('count', count);
  if (label) fixture.componentRef.setInput('label', label);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

describe('Skeleton', () => {
  it('is a named, busy progress indicator', async () => {
    const host = await render('lines', 3, 'Loading prompts');
    const wrapper = document.createElement('div');
    wrapper.appendChild(host);
    const indicator = getByRole(wrapper, 'progressbar', 'Loading prompts');
    expect(indicator.getAttribute('aria-busy')).toBe('true');
  });

  it.each([
    ['lines', 4, '.lines'],
    ['cards', 6, '.cards'],
    ['rows', 12, '.rows'],
  ] as const)('draws %s: %i placeholders in the shape of the content', async (variant, count, container) => {
    const host = await render(variant, count);
    expect(host.getAttribute('data-variant')).toBe(variant);
    expect(host.querySelector(container)).not.toBeNull();
    expect(host.querySelectorAll('[data-skeleton-item]')).toHaveLength(count);
  });
});
