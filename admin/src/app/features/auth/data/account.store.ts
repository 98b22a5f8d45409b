import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { AuthApi } from '../../../core/auth/auth.api';

/**
 * The signed-in user's own account changes. The auth pages and the change-password dialog go
 * through here rather than calling AuthApi themselves.
 */
@Injectable({ providedIn: 'root' })
export class AccountStore {
  private readonly authApi = inject(AuthApi);

  /** Changes the password; the API signs out the user's other sessions. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await firstValueFrom(this.authApi.changePassword(currentPassword, newPassword), {
      defaultValue: undefined,
    });
  }
}
