import { Routes } from '@angular/router';
import { signedOutGuard } from '../../core/auth/auth.guards';

/** The account pages, at the top level because e-mailed links and the SAML callback point at them. */
export const AUTH_ROUTES: Routes = [
  {
    path: 'sign-in',
    title: 'Sign in · Prompt Vault',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./pages/sign-in-page/sign-in-page').then((m) => m.SignInPage),
  },
  {
    path: 'sign-up',
    title: 'Create account · Prompt Vault',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./pages/sign-up-page/sign-up-page').then((m) => m.SignUpPage),
  },
  {
    path: 'verify-email',
    title: 'Verify e-mail · Prompt Vault',
    loadComponent: () => import('./pages/verify-email-page/verify-email-page').then((m) => m.VerifyEmailPage),
  },
  {
    path: 'forgot-password',
    title: 'Reset password · Prompt Vault',
    loadComponent: () =>
      import('./pages/forgot-password-page/forgot-password-page').then((m) => m.ForgotPasswordPage),
  },
  {
    path: 'reset-password',
    title: 'Choose a new password · Prompt Vault',
    loadComponent: () =>
      import('./pages/reset-password-page/reset-password-page').then((m) => m.ResetPasswordPage),
  },
  {
    path: 'sso/callback',
    title: 'Single sign-on · Prompt Vault',
    loadComponent: () => import('./pages/sso-callback-page/sso-callback-page').then((m) => m.SsoCallbackPage),
  },
  {
    path: 'invites/accept',
    title: 'Join an organization · Prompt Vault',
    loadComponent: () =>
      import('./pages/accept-invite-page/accept-invite-page').then((m) => m.AcceptInvitePage),
  },
];
