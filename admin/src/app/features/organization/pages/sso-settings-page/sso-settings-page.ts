import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  PendingTasks,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormArray, FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';
import { MatOption, MatSelect, MatSelectTrigger } from '@angular/material/select';
import { RoleDescription } from '../../../../shared/ui/role-description/role-description';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter } from 'rxjs';
import {
  DEFAULT_SSO_ROLE,
  NON_OWNER_ROLES,
  NonOwnerRole,
  Role,
  rolesGrantableBy,
} from '../../../../core/api/api-types';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { SessionStore } from '../../../../core/session/session.store';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { CopyField } from '../../components/copy-field/copy-field';
import { SsoSettings, UpdateSsoSettings } from '../../data/sso.api';
import { SsoSettingsStore } from '../../data/sso-settings.store';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

export type IdpSource = 'xml' | 'url' | 'manual';
type DefaultRole = NonOwnerRole;

type RoleMappingRow = FormGroup<{ idpValue: FormControl<string>; role: FormControl<Role> }>;

function roleRow(idpValue = '', role: Role = DEFAULT_SSO_ROLE): RoleMappingRow {
  return new FormGroup({
    idpValue: new FormControl(idpValue, { nonNullable: true, validators: [Validators.required] }),
    role: new FormControl<Role>(role, { nonNullable: true }),
  });
}

/** SAML single sign-on of the organization: IdP, attribute and role mapping, "SSO required". */
@Component({
  selector: 'pv-sso-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    FocusInvalid,
    ReactiveFormsModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSelect,
    MatSelectTrigger,
    RoleDescription,
    MatOption,
    MatRadioGroup,
    MatRadioButton,
    MatSlideToggle,
    MatProgressBar,
    CopyField,
  ],
  templateUrl: './sso-settings-page.html',
  providers: [SsoSettingsStore],
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './sso-settings-page.scss'],
})
export class SsoSettingsPage {
  private readonly store = inject(SsoSettingsStore);
  private readonly pendingTasks = inject(PendingTasks);
  private readonly destroyRef = inject(DestroyRef);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(SessionStore);
  /** Only an OWNER maps an IdP value to OWNER; OWNER is never the default. */
  protected readonly mappableRoles = computed<readonly Role[]>(() =>
    rolesGrantableBy(this.session.currentOrganization()?.role),
  );
  protected readonly defaultRoles = NON_OWNER_ROLES;

  protected readonly settings = this.store.settings;
  protected readonly saving = signal(false);
  protected readonly uploadedFile = signal<string | null>(null);
  protected readonly configured = computed(() => this.settings.value()?.configured ?? false);

  protected readonly form = new FormGroup({
    enabled: new FormControl(true, { nonNullable: true }),
    ssoRequired: new FormControl(false, { nonNullable: true }),
    allowIdpInitiated: new FormControl(false, { nonNullable: true }),
    source: new FormControl<IdpSource>('xml', { nonNullable: true }),
    metadataXml: new FormControl('', { nonNullable: true }),
    metadataUrl: new FormControl('', {
      nonNullable: true,
      validators: [Validators.pattern(/^https?:\/\/\S+$/)],
    }),
    idpEntityId: new FormControl('', { nonNullable: true }),
    idpSsoUrl: new FormControl('', {
      nonNullable: true,
      validators: [Validators.pattern(/^https?:\/\/\S+$/)],
    }),
    idpCertificate: new FormControl('', { nonNullable: true }),
    attributeMapping: new FormGroup({
      email: new FormControl('email', { nonNullable: true, validators: [Validators.required] }),
      name: new FormControl('name', { nonNullable: true, validators: [Validators.required] }),
      role: new FormControl('', { nonNullable: true }),
    }),
    roleMapping: new FormArray<RoleMappingRow>([]),
    defaultRole: new FormControl<DefaultRole>(DEFAULT_SSO_ROLE, { nonNullable: true }),
  });
  protected readonly source = signal<IdpSource>('xml');
  /** Set when the IdP part cannot be saved as entered (checked here, before the API). */
  protected readonly idpError = signal<string | null>(null);

  constructor() {
    this.form.controls.source.valueChanges.pipe(takeUntilDestroyed()).subscribe((source) => {
      this.source.set(source);
      this.idpError.set(null);
    });
    effect(() => {
      const settings = this.settings.value();
      if (settings) this.fill(settings);
    });
  }

  protected get roleRows(): RoleMappingRow[] {
    return this.form.controls.roleMapping.controls;
  }

  protected addRoleMapping(): void {
    this.form.controls.roleMapping.push(roleRow());
  }

  protected removeRoleMapping(index: number): void {
    this.form.controls.roleMapping.removeAt(index);
  }

  protected async readMetadataFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.form.controls.metadataXml.setValue(await file.text());
    this.uploadedFile.set(file.name);
    this.idpError.set(null);
    input.value = '';
  }

  protected save(): void {
    this.idpError.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const idp = this.idpPart();
    if (idp === null) return;
    if (!this.session.organizationId()) return;
    const value = this.form.getRawValue();
    const roleMapping: Record<string, Role> = {};
    for (const row of value.roleMapping) roleMapping[row.idpValue.trim()] = row.role;
    const body: UpdateSsoSettings = {
      ...idp,
      attributeMapping: {
        email: value.attributeMapping.email.trim(),
        name: value.attributeMapping.name.trim(),
        ...(value.attributeMapping.role.trim() ? { role: value.attributeMapping.role.trim() } : {}),
      },
      roleMapping,
      defaultRole: value.defaultRole,
      ssoRequired: value.ssoRequired,
      allowIdpInitiated: value.allowIdpInitiated,
      enabled: value.enabled,
    };
    this.saving.set(true);
    // The page is not stable (tests, server rendering) until the outcome is shown.
    void this.pendingTasks.run(async () => {
      try {
        await this.store.save(body);
        this.uploadedFile.set(null);
        this.snackBar.open('SSO settings saved', undefined, { duration: 3000 });
      } catch (error) {
        const unplaced = applyFieldErrors(this.form, error);
        if (unplaced.length) this.idpError.set(unplaced.join('. '));
      } finally {
        this.saving.set(false);
      }
    });
  }

  protected remove(): void {
    if (!this.session.organizationId()) return;
    confirmAction(this.dialog, {
      title: 'Remove single sign-on?',
      message: 'Members can no longer sign in through your identity provider; they sign in with a password.',
      confirm: 'Remove',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => {
        void this.store.remove().then(
          () => this.snackBar.open('Single sign-on removed', undefined, { duration: 3000 }),
          // Reported by the interceptor; the settings stay as shown.
          () => undefined,
        );
      });
  }

  /** The IdP fields to send for the chosen source; null (with a message) when incomplete. */
  private idpPart(): Partial<UpdateSsoSettings> | null {
    const value = this.form.getRawValue();
    switch (value.source) {
      case 'xml':
        if (value.metadataXml.trim()) return { metadataXml: value.metadataXml };
        if (this.configured()) return {};
        this.idpError.set('Upload or paste the metadata XML of your identity provider.');
        return null;
      case 'url':
        if (value.metadataUrl.trim()) return { metadataUrl: value.metadataUrl.trim() };
        this.idpError.set('Enter the metadata URL of your identity provider.');
        return null;
      case 'manual':
        if (value.idpEntityId.trim() && value.idpSsoUrl.trim() && value.idpCertificate.trim()) {
          return {
            idpEntityId: value.idpEntityId.trim(),
            idpSsoUrl: value.idpSsoUrl.trim(),
            idpCertificate: value.idpCertificate.trim(),
          };
        }
        this.idpError.set(
          'Enter the entity ID, the SSO URL and the signing certificate of your identity provider.',
        );
        return null;
    }
  }

  private fill(settings: SsoSettings): void {
    const source: IdpSource = settings.metadataUrl ? 'url' : settings.configured ? 'manual' : 'xml';
    this.form.controls.roleMapping.clear();
    for (const [idpValue, role] of Object.entries(settings.roleMapping ?? {})) {
      this.form.controls.roleMapping.push(roleRow(idpValue, role));
    }
    this.form.patchValue({
      enabled: settings.configured ? settings.enabled : true,
      ssoRequired: settings.ssoRequired,
      allowIdpInitiated: settings.allowIdpInitiated,
      source,
      metadataXml: '',
      metadataUrl: settings.metadataUrl ?? '',
      idpEntityId: settings.idpEntityId ?? '',
      idpSsoUrl: settings.idpSsoUrl ?? '',
      idpCertificate: settings.idpCertificate ?? '',
      attributeMapping: {
        email: settings.attributeMapping?.email || 'email',
        name: settings.attributeMapping?.name || 'name',
        role: settings.attributeMapping?.role ?? '',
      },
      defaultRole: settings.defaultRole,
    });
    this.form.markAsPristine();
  }
}
