import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { appConfig, FORM_FIELD_DEFAULTS } from './app.config';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormField, MatLabel, MatInput],
  template: `<mat-form-field><mat-label>Name</mat-label><input matInput /></mat-form-field>`,
})
class FieldHost {}

describe('appConfig', () => {
  it('gives every form field one appearance (outline) from the app-wide defaults', async () => {
    const provider = appConfig.providers.find(
      (p): p is { provide: unknown; useValue: unknown } =>
        typeof p === 'object' && p !== null && 'provide' in p && p.provide === MAT_FORM_FIELD_DEFAULT_OPTIONS,
    );
    expect(provider?.useValue).toEqual({ appearance: 'outline' });

    TestBed.configureTestingModule({
      imports: [FieldHost],
      providers: [{ provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: FORM_FIELD_DEFAULTS }],
    });
    const fixture = TestBed.createComponent(FieldHost);
    await fixture.whenStable();
    const field = (fixture.nativeElement as HTMLElement).querySelector('mat-form-field')!;
    expect(field.classList).toContain('mat-form-field-appearance-outline');
  });
});
