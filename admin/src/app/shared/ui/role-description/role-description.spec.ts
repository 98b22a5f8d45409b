import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { Role } from '../../../core/api/api-types';
import { RoleDescription } from './role-description';
import { ROLE_DESCRIPTIONS } from './role-descriptions';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RoleDescription],
  template: `<pv-role-description [role]="role()" />`,
})
class Host {
  readonly role = signal<Role>('EDITOR');
}

describe('RoleDescription', () => {
  it('shows the role with its one-line description, following the input', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('.role')?.textContent).toBe('EDITOR');
    expect(el.querySelector('.description')?.textContent).toBe(ROLE_DESCRIPTIONS.EDITOR);
    fixture.componentInstance.role.set('VIEWER');
    await fixture.whenStable();
    expect(el.querySelector('.description')?.textContent).toBe(ROLE_DESCRIPTIONS.VIEWER);
  });

  it('has a description for every role', () => {
    for (const role of ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'] as const)
      expect(ROLE_DESCRIPTIONS[role]).toMatch(/\w{3,}/);
  });
});
