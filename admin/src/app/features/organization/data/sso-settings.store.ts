import { inject, Injectable } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { SsoApi, SsoSettings, UpdateSsoSettings } from './sso.api';

/** The current organization's SAML settings and the changes to them. Provided by the SSO page. */
@Injectable()
export class SsoSettingsStore {
  private readonly api = inject(SsoApi);
  private readonly session = inject(SessionStore);

  readonly settings = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: ({ params }) => this.api.get(params),
  });

  async save(body: UpdateSsoSettings): Promise<SsoSettings> {
    const settings = await firstValueFrom(this.api.save(this.organizationId(), body));
    this.settings.set(settings);
    return settings;
  }

  async remove(): Promise<void> {
    await firstValueFrom(this.api.remove(this.organizationId()), { defaultValue: undefined });
    this.settings.reload();
  }

  private organizationId(): string {
    const id = this.session.organizationId();
    if (!id) throw new Error('No organization selected');
    return id;
  }
}
