import { Injectable } from '@nestjs/common';
import { FailureCounters } from '../../common/security/failure-counters';
import { AppConfig } from '../../config/app-config';
import { AuthException } from './auth.errors';

type SlowdownSettings = Pick<
  AppConfig,
  'loginMaxFailures' | 'loginSlowdownSeconds' | 'loginSlowdownMaxSeconds'
>;

/**
 * Seconds an account makes every next sign-in attempt wait after `failures` failed ones (from any
 * address) in the window: none below LOGIN_MAX_FAILURES, then LOGIN_SLOWDOWN_SECONDS, doubling
 * with each further failure up to LOGIN_SLOWDOWN_MAX_SECONDS.
 */
export function slowdownSeconds(failures: number, settings: SlowdownSettings): number {
  if (failures < settings.loginMaxFailures) return 0;
  const exponent = Math.min(failures - settings.loginMaxFailures, 30);
  return Math.min(settings.loginSlowdownSeconds * 2 ** exponent, settings.loginSlowdownMaxSeconds);
}

const locked = (retryAfter: number, detail: string) =>
  new AuthException('sign_in_locked', detail, {
    headers: { 'Retry-After': String(Math.max(retryAfter, 1)) },
  });

/**
 * Password guessing, limited two ways without letting anyone lock a stranger out:
 *
 * - per address, strictly: LOGIN_MAX_FAILURES failed sign-ins (to any accounts) within
 *   LOGIN_LOCKOUT_SECONDS, and the address is refused (429) until the window ends; past half of
 *   it every attempt from there is held back a little longer. A success does not clear it, or
 *   signing in to one's own account between guesses would;
 * - per account, progressively: failures against an account from all addresses together make it
 *   accept one attempt per `slowdownSeconds(failures)` (429 with `Retry-After` in between), never
 *   a lockout. An address that has not failed, with the right password, gets in, at worst after
 *   that delay. The right password clears the account's count.
 *
 * The counts live in Redis when it is configured (every process sees them) and in memory
 * otherwise.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: FailureCounters,
    private readonly config: AppConfig,
  ) {}

  /** Before the password is checked: 429 for an address over its limit or an account in its delay. */
  async admit(email: string, ip: string): Promise<void> {
    const [byAddress, byAccount] = await Promise.all([
      this.counters.peek(addressKey(ip)),
      this.counters.peek(accountKey(email)),
    ]);
    if (byAddress.count >= this.config.loginMaxFailures) {
      throw locked(byAddress.resetInSeconds, 'Too many failed sign-ins from this address; try again later');
    }
    const delay = slowdownSeconds(byAccount.count, this.config);
    if (delay > 0) {
      // One attempt per delay: the first to arrive opens the window, the others wait it out.
      const gate = await this.counters.hit(gateKey(email), delay);
      if (gate.count > 1) {
        throw locked(
          gate.resetInSeconds,
          `Too many failed sign-ins for this account; the next attempt is possible in ${Math.max(gate.resetInSeconds, 1)} s`,
        );
      }
    }
    const over = byAddress.count - Math.floor(this.config.loginMaxFailures / 2);
    if (over > 0) await new Promise((r) => setTimeout(r, Math.min(over * 250, 2000)));
  }

  async failed(email: string, ip: string): Promise<void> {
    const window = this.config.loginLockoutSeconds;
    await Promise.all([
      this.counters.hit(addressKey(ip), window),
      this.counters.hit(accountKey(email), window),
    ]);
  }

  /** The owner proved who they are: the account's slowdown ends (the address's count stays). */
  async succeeded(email: string): Promise<void> {
    await Promise.all([this.counters.reset(accountKey(email)), this.counters.reset(gateKey(email))]);
  }
}

const addressKey = (ip: string) => `login:ip:${ip}`;
const accountKey = (email: string) => `login:email:${email}`;
const gateKey = (email: string) => `login:gate:${email}`;
