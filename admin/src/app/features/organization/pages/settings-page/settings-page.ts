import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MatChipGrid,
  MatChipInput,
  MatChipInputEvent,
  MatChipRemove,
  MatChipRow,
} from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect, MatSelectTrigger } from '@angular/material/select';
import { RoleDescription } from '../../../../shared/ui/role-description/role-description';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { applyFailure, describeFailure, problemCode } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { confirmDeleteOrganization } from '../../components/delete-organization-dialog/delete-organization-dialog';
import { DEFAULT_INVITE_ROLE, NON_OWNER_ROLES } from '../../../../core/api/api-types';
import { DefaultRole } from '../../data/organization-admin.api';
import { ORGANIZATION_ERRORS } from '../../data/organization-errors';
import { OrganizationSettingsStore } from '../../data/organization-settings.store';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The organization's settings (OWNER, ADMIN): name and slug, default role, data policies,
 * audit retention, and (OWNER) deleting the organization. Each section saves on its own.
 */
@Component({
  selector: 'pv-organization-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FocusInvalid,
    ReactiveFormsModule,
    MatButton,
    MatChipGrid,
    MatChipRow,
    MatChipInput,
    MatChipRemove,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatIcon,
    MatSelect,
    MatSelectTrigger,
    RoleDescription,
    MatOption,
    MatSlideToggle,
    MatProgressBar,
    ActionError,
  ],
  templateUrl: './settings-page.html',
  providers: [OrganizationSettingsStore],
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './settings-page.scss'],
})
export class OrganizationSettingsPage {
  protected readonly store = inject(OrganizationSettingsStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  protected readonly roles: readonly DefaultRole[] = NON_OWNER_ROLES;
  protected readonly isOwner = computed(() => this.session.can('delete', 'Organization'));
  protected readonly busy = signal<'general' | 'policies' | 'retention' | 'delete' | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly domains = signal<string[]>([]);
  protected readonly domainError = signal<string | null>(null);

  protected readonly general = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(120)],
    }),
    slug: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(SLUG)],
    }),
  });
  protected readonly policies = new FormGroup({
    defaultRole: new FormControl<DefaultRole>(DEFAULT_INVITE_ROLE, { nonNullable: true }),
    membersMayExport: new FormControl(true, { nonNullable: true }),
    viewersMayRun: new FormControl(false, { nonNullable: true }),
    requireTestRunForProduction: new FormControl(false, { nonNullable: true }),
    sessionTtlMinutes: new FormControl<number | null>(null, [Validators.min(5), Validators.max(43200)]),
  });
  protected readonly retention = new FormGroup({
    days: new FormControl<number | null>(null, [Validators.min(1), Validators.max(36500)]),
  });

  constructor() {
    effect(() => {
      const organization = this.store.organization.value();
      if (organization) this.general.reset({ name: organization.name, slug: organization.slug });
    });
    effect(() => {
      const settings = this.store.settings.value();
      if (!settings) return;
      this.policies.reset({
        defaultRole: settings.defaultRole,
        membersMayExport: settings.membersMayExport,
        viewersMayRun: settings.viewersMayRun,
        requireTestRunForProduction: settings.requireTestRunForProduction,
        sessionTtlMinutes: settings.sessionTtlMinutes,
      });
      this.domains.set([...settings.allowedEmailDomains]);
    });
    effect(() => {
      const retention = this.store.retention.value();
      if (retention) this.retention.reset({ days: retention.days });
    });
  }

  protected async saveGeneral(): Promise<void> {
    const organization = this.store.organization.value();
    if (this.general.invalid || !organization) {
      this.general.markAllAsTouched();
      return;
    }
    const { name, slug } = this.general.getRawValue();
    const change = {
      ...(name.trim() !== organization.name ? { name: name.trim() } : {}),
      ...(slug !== organization.slug ? { slug } : {}),
    };
    if (!Object.keys(change).length) return;
    await this.run(
      'general',
      async () => {
        await this.store.rename(change);
        this.snackBar.open('Organization saved', undefined, { duration: 3000 });
      },
      (error) =>
        applyFailure(this.general, error, ORGANIZATION_ERRORS, 'The organization could not be saved.'),
    );
  }

  protected addDomain(event: MatChipInputEvent): void {
    const value = event.value.trim().toLowerCase();
    this.domainError.set(null);
    if (!value) return;
    if (!DOMAIN.test(value)) {
      this.domainError.set(`"${value}" is not a domain name such as example.com`);
      return;
    }
    if (!this.domains().includes(value)) this.domains.update((list) => [...list, value]);
    event.chipInput.clear();
  }

  protected removeDomain(domain: string): void {
    this.domains.update((list) => list.filter((d) => d !== domain));
  }

  protected async savePolicies(): Promise<void> {
    if (this.policies.invalid) {
      this.policies.markAllAsTouched();
      return;
    }
    const values = this.policies.getRawValue();
    const ttl = values.sessionTtlMinutes;
    await this.run(
      'policies',
      async () => {
        await this.store.saveSettings({
          ...values,
          sessionTtlMinutes: ttl === null || (ttl as unknown) === '' ? null : Number(ttl),
          allowedEmailDomains: this.domains(),
        });
        this.snackBar.open('Settings saved', undefined, { duration: 3000 });
      },
      (error) => applyFailure(this.policies, error, {}, 'The settings could not be saved.'),
    );
  }

  protected async saveRetention(): Promise<void> {
    if (this.retention.invalid) {
      this.retention.markAllAsTouched();
      return;
    }
    const days = this.retention.getRawValue().days;
    await this.run(
      'retention',
      async () => {
        await this.store.saveRetention(days === null || (days as unknown) === '' ? null : Number(days));
        this.snackBar.open('Audit retention saved', undefined, { duration: 3000 });
      },
      (error) =>
        // Over the plan's bound, the upgrade dialog has already opened; the line says why nothing changed.
        problemCode(error) === 'plan_limit_reached'
          ? 'The plan keeps audit events for a shorter time. Upgrade to keep them longer.'
          : describeFailure(error, {}, 'The audit retention could not be saved.'),
    );
  }

  protected async deleteOrganization(): Promise<void> {
    const organization = this.store.organization.value();
    if (!organization) return;
    if (!(await firstValueFrom(confirmDeleteOrganization(this.dialog, organization.name)))) return;
    await this.run(
      'delete',
      async () => {
        await this.store.remove();
        this.snackBar.open(`${organization.name} was deleted`, undefined, { duration: 4000 });
        await this.router.navigateByUrl('/');
      },
      (error) => describeFailure(error, ORGANIZATION_ERRORS, 'The organization could not be deleted.'),
    );
  }

  private async run(
    section: 'general' | 'policies' | 'retention' | 'delete',
    work: () => Promise<void>,
    failure: (error: unknown) => string | null,
  ): Promise<void> {
    this.error.set(null);
    this.busy.set(section);
    try {
      await work();
    } catch (error) {
      this.error.set(failure(error));
    } finally {
      this.busy.set(null);
    }
  }
}
