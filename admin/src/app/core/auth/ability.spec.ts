import { MembershipRole } from '../api/api-types';
import { NAV_ITEMS } from '../layout/nav/nav-items';
import { abilityFor } from './ability';

const ROLES: MembershipRole[] = ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'];

/** The console rows of the permission matrix in API-CONTRACT.md, as the console must apply them. */
const MATRIX: {
  row: string;
  check: Parameters<ReturnType<typeof abilityFor>['can']>;
  allowed: MembershipRole[];
}[] = [
  { row: 'manage members and invites', check: ['update', 'Member'], allowed: ['OWNER', 'ADMIN'] },
  { row: 'manage invites', check: ['create', 'Invite'], allowed: ['OWNER', 'ADMIN'] },
  { row: 'manage SSO settings', check: ['manage', 'SsoSettings'], allowed: ['OWNER', 'ADMIN'] },
  { row: 'manage billing', check: ['manage', 'Billing'], allowed: ['OWNER'] },
  { row: 'read audit log', check: ['read', 'AuditEvent'], allowed: ['OWNER', 'ADMIN'] },
  {
    row: 'use the API (own API keys)',
    check: ['use_api', 'ApiKey'],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
  { row: 'create prompts', check: ['create', 'Prompt'], allowed: ['OWNER', 'ADMIN', 'EDITOR'] },
];

describe('client ability (the backend CASL factory)', () => {
  for (const { row, check, allowed } of MATRIX) {
    it(`${row}: ${allowed.join(', ')}`, () => {
      for (const role of ROLES) {
        expect(abilityFor(role, 'u1').can(...check), role).toBe(allowed.includes(role));
      }
    });
  }

  it("applies the organization's policies from /me: VIEWERs run only when allowed", () => {
    const runners = (policies?: { viewersMayRun: boolean; membersMayExport: boolean }) =>
      ROLES.filter((role) => abilityFor(role, 'u1', policies).can('create', 'Run'));
    expect(runners()).toEqual(['OWNER', 'ADMIN', 'EDITOR']);
    expect(runners({ viewersMayRun: true, membersMayExport: true })).toEqual(ROLES);
    const exporters = ROLES.filter((role) =>
      abilityFor(role, 'u1', { viewersMayRun: false, membersMayExport: false }).can('export', 'Data'),
    );
    expect(exporters).toEqual(['OWNER', 'ADMIN']);
  });

  it("sees other members' API keys only as OWNER or ADMIN", () => {
    const othersKey = { __type: 'ApiKey', createdById: 'u2' } as const;
    const ownKey = { __type: 'ApiKey', createdById: 'u1' } as const;
    expect(ROLES.filter((role) => abilityFor(role, 'u1').can('read', othersKey))).toEqual(['OWNER', 'ADMIN']);
    expect(ROLES.filter((role) => abilityFor(role, 'u1').can('read', ownKey))).toEqual(ROLES);
  });

  it('allows nothing without a membership', () => {
    expect(abilityFor(null, null).can('use_api', 'ApiKey')).toBe(false);
  });

  it('navigation: VIEWER and EDITOR do not see Members or SSO', () => {
    const visible = (role: MembershipRole | null) =>
      NAV_ITEMS.filter(
        (item) => !item.requires || abilityFor(role, 'u1').can(item.requires.action, item.requires.subject),
      ).map((item) => item.label);
    expect(visible('OWNER')).toEqual(expect.arrayContaining(['Members', 'API keys', 'SSO']));
    expect(visible('ADMIN')).toEqual(expect.arrayContaining(['Members', 'API keys', 'SSO']));
    for (const role of ['EDITOR', 'VIEWER'] as const) {
      expect(visible(role)).toContain('API keys');
      expect(visible(role)).not.toContain('Members');
      expect(visible(role)).not.toContain('SSO');
    }
    expect(visible(null)).not.toContain('API keys');
  });
});
