import { Routes } from '@angular/router';
import { permissionGuard } from '../../core/auth/auth.guards';

/** Under /billing, behind signedInGuard (app.routes.ts): every member reads the plan, the OWNER changes it. */
export const BILLING_ROUTES: Routes = [
  {
    path: '',
    title: 'Billing · Prompt Vault',
    canActivate: [permissionGuard({ action: 'read', subject: 'Billing' })],
    loadComponent: () => import('./pages/billing-page/billing-page').then((m) => m.BillingPage),
  },
];
