import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';

/** Full-page navigation out of the console (e.g. to the IdP through the API); a seam for tests. */
@Injectable({ providedIn: 'root' })
export class ExternalNavigation {
  private readonly document = inject(DOCUMENT);

  assign(url: string): void {
    this.document.location.assign(url);
  }
}
