import type { Permission } from '../../core/auth/ability';

/**
 * What the analytics console needs (permission matrix: "read organization analytics" and
 * "manage … budgets", both OWNER and ADMIN), checked with the API's own CASL rules.
 */
export const ANALYTICS_PERMISSIONS = {
  dashboard: { action: 'read', subject: 'Analytics' },
  budget: { action: 'manage', subject: 'Budget' },
} as const satisfies Record<string, Permission>;
