import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ProblemError } from '../../../core/http/problem';
import { signInErrorMessage, SSO_ERROR_CODES, ssoErrorMessage } from './auth-errors';

function problem(status: number, code: string, headers: Record<string, string> = {}): ProblemError {
  const response = new HttpErrorResponse({ status, headers: new HttpHeaders(headers) });
  return new ProblemError(
    { type: 'about:blank', title: 'Server title', status, code, detail: 'Server detail' },
    response,
    false,
  );
}

describe('signInErrorMessage', () => {
  it('decides on the code, not on the status or the server wording', () => {
    expect(signInErrorMessage(problem(401, 'invalid_credentials'))).toBe('Wrong e-mail or password.');
    expect(signInErrorMessage(problem(403, 'sso_required'))).toContain('requires single sign-on');
    expect(signInErrorMessage(problem(401, 'account_gone'))).toBe('Server detail');
  });

  it('tells a locked-out user how long to wait (Retry-After in minutes, rounded up)', () => {
    expect(signInErrorMessage(problem(429, 'sign_in_locked', { 'Retry-After': '61' }))).toBe(
      'Too many failed attempts. Try again in 2 minutes.',
    );
    expect(signInErrorMessage(problem(429, 'sign_in_locked'))).toBe(
      'Too many failed attempts. Try again later.',
    );
  });
});

/** Every `ssoError` code docs/sso.md ("Signing in", steps 2, 3, 5 and 6) says the browser may get. */
const DOCUMENTED_SSO_CODES = [
  'invalid_signature',
  'expired',
  'wrong_audience',
  'wrong_issuer',
  'replayed',
  'unknown_request',
  'unsolicited',
  'missing_email',
  'account_exists',
  'domain_not_allowed',
  'plan_limit_reached',
  'not_configured',
  'disabled',
  'invalid_response',
  'idp_error',
  'server_error',
  'rate_limited',
];

describe('ssoErrorMessage', () => {
  it('has its own message for every documented code', () => {
    expect([...SSO_ERROR_CODES].sort()).toEqual([...DOCUMENTED_SSO_CODES].sort());
    const messages = DOCUMENTED_SSO_CODES.map((code) => ssoErrorMessage(code));
    for (const [index, message] of messages.entries()) {
      expect(message, DOCUMENTED_SSO_CODES[index]).not.toContain('Single sign-on failed:');
      expect(message, DOCUMENTED_SSO_CODES[index]).not.toContain(DOCUMENTED_SSO_CODES[index]);
    }
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('tells a rate-limited visitor to wait', () => {
    expect(ssoErrorMessage('rate_limited')).toBe(
      'Too many failed single sign-on attempts from this network; wait a few minutes and try again.',
    );
  });

  it('shows an unknown code as sent, and never an inherited property', () => {
    expect(ssoErrorMessage('brand_new_reason')).toBe('Single sign-on failed: brand_new_reason');
    expect(ssoErrorMessage('toString')).toBe('Single sign-on failed: toString');
  });
});
