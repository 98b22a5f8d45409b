import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl, parseRetryAfter } from '../src/http.js';

describe('normalizeBaseUrl', () => {
  it('adds /api/v1 once, keeps a path prefix and drops query and fragment', () => {
    expect(normalizeBaseUrl('https://vault.example.com')).toBe('https://vault.example.com/api/v1');
    expect(normalizeBaseUrl('https://vault.example.com/')).toBe('https://vault.example.com/api/v1');
    expect(normalizeBaseUrl('https://vault.example.com/api/v1/')).toBe('https://vault.example.com/api/v1');
    expect(normalizeBaseUrl('http://10.0.0.5:3000/vault?x=1#y')).toBe('http://10.0.0.5:3000/vault/api/v1');
  });

  it('refuses what is not an absolute http(s) URL', () => {
    expect(() => normalizeBaseUrl('vault.example.com')).toThrow(TypeError);
    expect(() => normalizeBaseUrl('ftp://vault.example.com')).toThrow(/http\(s\)/);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
