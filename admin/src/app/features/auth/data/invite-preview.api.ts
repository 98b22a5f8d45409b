import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API_BASE, InvitePreview } from '../../../core/api/api-types';
import { silent } from '../../../core/auth/auth.api';

/**
 * What an invitation link is for (`GET /invites/preview`, public): the accept page and an
 * invited sign-up show it before anyone signs in. Silent: both pages explain a 404/410 themselves.
 */
@Injectable({ providedIn: 'root' })
export class InvitePreviewApi {
  private readonly http = inject(HttpClient);

  get(token: string): Promise<InvitePreview> {
    return firstValueFrom(
      this.http.get<InvitePreview>(`${API_BASE}/invites/preview`, { params: { token }, context: silent() }),
    );
  }
}
