import type { Role } from '../common/context/request-context';
import { Action, defineAbilityFor, OwnedRecord, SubjectName } from './ability.factory';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const own = (type: SubjectName, key: 'authorId' | 'createdById' = 'authorId'): OwnedRecord => ({
  __type: type,
  [key]: ME,
});
const others = (type: SubjectName, key: 'authorId' | 'createdById' = 'authorId'): OwnedRecord => ({
  __type: type,
  [key]: OTHER,
});

const ROLES_ALL = (): Role[] => ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'];

type Cell = [Action, SubjectName | OwnedRecord];
/** The permission matrix of API-CONTRACT.md, row by row: which roles may do it. */
const MATRIX: Array<{ row: string; check: Cell[]; allowed: Role[] }> = [
  {
    row: 'view prompts (organization visibility)',
    check: [['read', 'Prompt']],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
  { row: 'create prompts', check: [['create', 'Prompt']], allowed: ['OWNER', 'ADMIN', 'EDITOR'] },
  { row: 'edit own prompts', check: [['update', own('Prompt')]], allowed: ['OWNER', 'ADMIN', 'EDITOR'] },
  { row: "edit others' prompts", check: [['update', others('Prompt')]], allowed: ['OWNER', 'ADMIN'] },
  { row: 'delete own prompts', check: [['delete', own('Prompt')]], allowed: ['OWNER', 'ADMIN', 'EDITOR'] },
  { row: "delete others' prompts", check: [['delete', others('Prompt')]], allowed: ['OWNER', 'ADMIN'] },
  {
    row: 'comment, favorite',
    check: [
      ['comment', 'Prompt'],
      ['favorite', 'Prompt'],
      ['create', 'Comment'],
    ],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
  {
    row: 'edit or delete own comments',
    check: [
      ['update', own('Comment')],
      ['delete', own('Comment')],
    ],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
  { row: "edit others' comments (nobody)", check: [['update', others('Comment')]], allowed: [] },
  { row: "delete others' comments", check: [['delete', others('Comment')]], allowed: ['OWNER', 'ADMIN'] },
  {
    row: 'move the production label',
    check: [['move_production_label', 'Prompt']],
    allowed: ['OWNER', 'ADMIN'],
  },
  {
    row: 'create tags (by tagging) and collections',
    check: [
      ['create', 'Tag'],
      ['create', 'Collection'],
    ],
    allowed: ['OWNER', 'ADMIN', 'EDITOR'],
  },
  {
    row: 'edit or delete own collections',
    check: [
      ['update', own('Collection', 'createdById')],
      ['delete', own('Collection', 'createdById')],
    ],
    allowed: ['OWNER', 'ADMIN', 'EDITOR'],
  },
  {
    row: "edit or delete others' collections",
    check: [
      ['update', others('Collection', 'createdById')],
      ['delete', others('Collection', 'createdById')],
    ],
    allowed: ['OWNER', 'ADMIN'],
  },
  {
    row: 'delete tags, manage categories',
    check: [
      ['delete', 'Tag'],
      ['update', 'Tag'],
      ['create', 'Category'],
      ['update', 'Category'],
      ['delete', 'Category'],
    ],
    allowed: ['OWNER', 'ADMIN'],
  },
  {
    row: 'manage members and invites',
    check: [
      ['update', 'Member'],
      ['delete', 'Member'],
      ['create', 'Invite'],
      ['delete', 'Invite'],
    ],
    allowed: ['OWNER', 'ADMIN'],
  },
  {
    row: 'grant, change or take the OWNER role',
    check: [
      ['create', { __type: 'Member', role: 'OWNER' }],
      ['update', { __type: 'Member', role: 'OWNER' }],
      ['delete', { __type: 'Member', role: 'OWNER' }],
      ['create', { __type: 'Invite', role: 'OWNER' }],
    ],
    allowed: ['OWNER'],
  },
  {
    row: 'grant, change or take the other roles',
    check: [
      ['update', { __type: 'Member', role: 'ADMIN' }],
      ['delete', { __type: 'Member', role: 'VIEWER' }],
      ['create', { __type: 'Invite', role: 'EDITOR' }],
    ],
    allowed: ['OWNER', 'ADMIN'],
  },
  {
    row: 'delete own saved searches',
    check: [['delete', own('SavedSearch', 'createdById')]],
    allowed: ROLES_ALL(),
  },
  {
    row: "delete others' shared saved searches",
    check: [['delete', others('SavedSearch', 'createdById')]],
    allowed: ['OWNER', 'ADMIN'],
  },
  { row: 'manage SSO settings', check: [['manage', 'SsoSettings']], allowed: ['OWNER', 'ADMIN'] },
  { row: 'manage billing', check: [['manage', 'Billing']], allowed: ['OWNER'] },
  {
    row: 'read billing and plan',
    check: [['read', 'Billing']],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
  { row: 'run prompts (playground, API)', check: [['create', 'Run']], allowed: ['OWNER', 'ADMIN', 'EDITOR'] },
  { row: 'read runs', check: [['read', 'Run']], allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'] },
  {
    row: 'evaluate prompts (AI evaluator)',
    check: [['create', 'Evaluation']],
    allowed: ['OWNER', 'ADMIN', 'EDITOR'],
  },
  {
    row: 'read evaluations',
    check: [['read', 'Evaluation']],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
  { row: 'manage provider keys', check: [['manage', 'ProviderKey']], allowed: ['OWNER', 'ADMIN'] },
  { row: 'manage webhooks', check: [['manage', 'Webhook']], allowed: ['OWNER', 'ADMIN'] },
  { row: 'manage budgets', check: [['manage', 'Budget']], allowed: ['OWNER', 'ADMIN'] },
  { row: 'read organization analytics', check: [['read', 'Analytics']], allowed: ['OWNER', 'ADMIN'] },
  {
    row: 'list provider keys (to choose one for a run)',
    check: [['read', 'ProviderKey']],
    allowed: ['OWNER', 'ADMIN', 'EDITOR'],
  },
  { row: 'read audit log', check: [['read', 'AuditEvent']], allowed: ['OWNER', 'ADMIN'] },
  { row: 'export the audit log', check: [['export', 'AuditEvent']], allowed: ['OWNER', 'ADMIN'] },
  {
    row: 'export (all the caller can see; members allowed by default)',
    check: [['export', 'Data']],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
  {
    row: 'use the API (own API keys)',
    check: [
      ['use_api', 'ApiKey'],
      ['create', own('ApiKey', 'createdById')],
    ],
    allowed: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
  },
];

const ROLES: Role[] = ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'];

describe('permission matrix', () => {
  for (const { row, check, allowed } of MATRIX) {
    for (const role of ROLES) {
      const expected = allowed.includes(role);
      it(`${role} ${expected ? 'may' : 'may not'}: ${row}`, () => {
        const ability = defineAbilityFor(role, ME);
        for (const [action, subject] of check) expect(ability.can(action, subject)).toBe(expected);
      });
    }
  }

  it('a caller without a membership may do nothing', () => {
    expect(
      defineAbilityFor(null, ME, { viewersMayRun: true, membersMayExport: true }).can('create', 'Run'),
    ).toBe(false);
    const ability = defineAbilityFor(null, ME);
    expect(ability.can('read', 'Prompt')).toBe(false);
  });
});

/** The "if allowed" cells: organization settings widen (or narrow) two rows of the matrix. */
describe('organization policies', () => {
  const cases: Array<{
    policies: { viewersMayRun: boolean; membersMayExport: boolean };
    run: Role[];
    exportData: Role[];
  }> = [
    {
      policies: { viewersMayRun: false, membersMayExport: false },
      run: ['OWNER', 'ADMIN', 'EDITOR'],
      exportData: ['OWNER', 'ADMIN'],
    },
    {
      policies: { viewersMayRun: true, membersMayExport: true },
      run: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
      exportData: ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'],
    },
  ];
  for (const { policies, run, exportData } of cases) {
    for (const role of ROLES) {
      it(`${role} with ${JSON.stringify(policies)}: run ${run.includes(role)}, export ${exportData.includes(role)}`, () => {
        const ability = defineAbilityFor(role, ME, policies);
        expect(ability.can('create', 'Run')).toBe(run.includes(role));
        expect(ability.can('create', 'Evaluation')).toBe(run.includes(role));
        expect(ability.can('read', 'ProviderKey')).toBe(run.includes(role));
        expect(ability.can('export', 'Data')).toBe(exportData.includes(role));
        // Never widened by a setting: the audit log and managing keys.
        expect(ability.can('export', 'AuditEvent')).toBe(role === 'OWNER' || role === 'ADMIN');
        expect(ability.can('manage', 'ProviderKey')).toBe(role === 'OWNER' || role === 'ADMIN');
      });
    }
  }
});
