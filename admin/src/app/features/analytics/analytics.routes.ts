import { Routes } from '@angular/router';
import { provideCharts, withDefaultRegisterables } from 'ng2-charts';
import { permissionGuard } from '../../core/auth/auth.guards';
import { ANALYTICS_PERMISSIONS } from './analytics-permissions';

/**
 * `/analytics` (dashboard) and `/analytics/budget`. Chart.js is registered here, in the lazy
 * route's injector, so it stays out of the initial bundle.
 */
export const ANALYTICS_ROUTES: Routes = [
  {
    path: '',
    providers: [provideCharts(withDefaultRegisterables())],
    children: [
      {
        path: '',
        title: 'Analytics · Prompt Vault',
        canActivate: [permissionGuard(ANALYTICS_PERMISSIONS.dashboard)],
        loadComponent: () => import('./pages/analytics-page/analytics-page').then((m) => m.AnalyticsPage),
      },
      {
        path: 'budget',
        title: 'Budget · Prompt Vault',
        canActivate: [permissionGuard(ANALYTICS_PERMISSIONS.budget)],
        loadComponent: () => import('./pages/budget-page/budget-page').then((m) => m.BudgetPage),
      },
    ],
  },
];
