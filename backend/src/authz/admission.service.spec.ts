import type { Principal } from '../common/context/request-context';
import { DomainException } from '../common/errors/domain.exception';
import { organizationOf } from './admission.service';

const ORG = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const OTHER = '9e8d7c6b-5a49-4837-a625-140f3e2d1c0b';
const user: Principal = { userId: ORG, email: 'u@example.com', sessionId: 's', apiKey: null };
const keyOf = (organizationId: string): Principal => ({
  ...user,
  sessionId: null,
  apiKey: { id: OTHER, organizationId },
});

const answer = (fn: () => unknown) => {
  try {
    return { organizationId: fn() };
  } catch (err) {
    if (!(err instanceof DomainException)) throw err;
    return { status: err.status, code: err.code, fields: err.errors?.map((e) => e.field) };
  }
};

describe('organizationOf', () => {
  it('takes the route parameter, then the header, then the API key’s own organization', () => {
    expect(organizationOf({ param: 'id', paramValue: ORG, header: OTHER }, user)).toBe(ORG);
    expect(organizationOf({ header: ORG }, user)).toBe(ORG);
    expect(organizationOf({}, keyOf(ORG))).toBe(ORG);
  });

  it('compares and answers ids in lower case', () => {
    expect(organizationOf({ header: ORG.toUpperCase() }, keyOf(ORG))).toBe(ORG);
  });

  it('answers 400 naming the field when the organization is missing or not a UUID', () => {
    expect(answer(() => organizationOf({}, user))).toEqual({
      status: 400,
      code: 'validation_failed',
      fields: ['X-Organization-Id'],
    });
    expect(answer(() => organizationOf({ param: 'id', paramValue: 'nope' }, user))).toMatchObject({
      status: 400,
      fields: ['id'],
    });
    expect(answer(() => organizationOf({ header: 'nope' }, user))).toMatchObject({
      status: 400,
      fields: ['X-Organization-Id'],
    });
  });

  it('answers 400 for a malformed header even when the path names the organization', () => {
    for (const principal of [user, keyOf(ORG)])
      expect(
        answer(() => organizationOf({ param: 'id', paramValue: ORG, header: 'garbage' }, principal)),
      ).toMatchObject({ status: 400, fields: ['X-Organization-Id'] });
  });

  it('answers 400 when an API key names one organization in the path and another in the header', () => {
    expect(
      answer(() => organizationOf({ param: 'id', paramValue: ORG, header: OTHER }, keyOf(ORG))),
    ).toMatchObject({ status: 400, code: 'validation_failed', fields: ['X-Organization-Id'] });
    expect(organizationOf({ param: 'id', paramValue: ORG, header: ORG.toUpperCase() }, keyOf(ORG))).toBe(ORG);
  });

  it('answers 403 sso_session_scope when an SSO session names another organization, existing or not', () => {
    const scoped: Principal = { ...user, organizationScope: ORG };
    expect(organizationOf({ header: ORG }, scoped)).toBe(ORG);
    expect(answer(() => organizationOf({ header: OTHER }, scoped))).toMatchObject({
      status: 403,
      code: 'sso_session_scope',
    });
    expect(answer(() => organizationOf({ param: 'id', paramValue: OTHER }, scoped))).toMatchObject({
      status: 403,
      code: 'sso_session_scope',
    });
  });

  it('answers 404 when an API key names another organization than its own', () => {
    expect(answer(() => organizationOf({ header: OTHER }, keyOf(ORG)))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });
});
