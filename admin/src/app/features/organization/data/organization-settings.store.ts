import { inject, Injectable } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import {
  AuditRetention,
  OrganizationAdminApi,
  OrganizationSettings,
  OrganizationSettingsChange,
} from './organization-admin.api';

/**
 * The current organization, its settings and audit retention, and the changes to them. Provided
 * by the settings page. Renaming or deleting the organization re-reads the session's memberships,
 * which carry names and slugs.
 */
@Injectable()
export class OrganizationSettingsStore {
  private readonly api = inject(OrganizationAdminApi);
  private readonly session = inject(SessionStore);
  private readonly organizationParams = () => this.session.organizationId() ?? undefined;

  readonly organization = rxResource({
    params: this.organizationParams,
    stream: ({ params }) => this.api.get(params),
  });
  readonly settings = rxResource({
    params: this.organizationParams,
    stream: ({ params }) => this.api.settings(params),
  });
  readonly retention = rxResource({
    params: this.organizationParams,
    stream: ({ params }) => this.api.retention(params),
  });

  async rename(change: { name?: string; slug?: string }): Promise<void> {
    const organization = await firstValueFrom(this.api.update(this.organizationId(), change));
    this.organization.set(organization);
    await this.session.reload();
  }

  async saveSettings(change: OrganizationSettingsChange): Promise<OrganizationSettings> {
    const settings = await firstValueFrom(this.api.updateSettings(this.organizationId(), change));
    this.settings.set(settings);
    return settings;
  }

  async saveRetention(days: number | null): Promise<AuditRetention> {
    const retention = await firstValueFrom(this.api.updateRetention(this.organizationId(), days));
    this.retention.set(retention);
    return retention;
  }

  /** Deletes the organization; the session then falls back to another membership. */
  async remove(): Promise<void> {
    await firstValueFrom(this.api.remove(this.organizationId()), { defaultValue: undefined });
    await this.session.reload();
  }

  private organizationId(): string {
    const id = this.session.organizationId();
    if (!id) throw new Error('No organization selected');
    return id;
  }
}
