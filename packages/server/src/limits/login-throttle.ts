import { SlotcastError } from '@slotcast/protocol';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { type LimiterFactory, memoryLimiters } from './rate-limits.js';

export interface LoginThrottleSettings {
  /** Failures from one address on one account before each further one costs a delay. */
  freeFailures: number;
  /** The first delay; each further failure doubles it, up to `maxDelaySeconds`. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures on one account from all addresses; past it, an address gets no free failures and longer delays. */
  accountBudget: number;
  /** Failures from one address across all accounts (credential stuffing) before it is refused for the window. */
  failuresPerAddress: number;
  /** How long failures are remembered. */
  windowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = {
  freeFailures: 3,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  accountBudget: 20,
  failuresPerAddress: 100,
  windowSeconds: 60 * 60,
};

/**
 * Failed sign-ins slow the guesser, never the owner. Failures count per (account, address): after a few, each
 * further try from that pair waits a doubling delay. Failures on the account from everywhere count against a larger
 * budget that, once spent, takes away the free failures and raises the delays: an attacker rotating addresses gets
 * one guess per address per delay instead of a lockout. Nothing is kept against the account as a whole, so the
 * owner signing in from an address with no failures is never refused. Budgets live in the limiter store: Redis
 * when configured, shared by every node.
 */
export class LoginThrottle {
  private readonly pairFailures: RateLimiterAbstract;
  private readonly pairDelay: RateLimiterAbstract;
  private readonly accountFailures: RateLimiterAbstract;
  private readonly addressFailures: RateLimiterAbstract;

  constructor(
    private readonly settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE,
    factory: LimiterFactory = memoryLimiters,
  ) {
    const window = settings.windowSeconds;
    // Counters only: `penalty` adds, `get` reads; the points are never consumed against.
    this.pairFailures = factory({ keyPrefix: 'slotcast_login_pair', points: 1_000_000, duration: window });
    this.accountFailures = factory({ keyPrefix: 'slotcast_login_account', points: 1_000_000, duration: window });
    this.addressFailures = factory({ keyPrefix: 'slotcast_login_address', points: 1_000_000, duration: window });
    // A pair is "delayed" while it holds a block set by `block(key, seconds)`.
    this.pairDelay = factory({ keyPrefix: 'slotcast_login_delay', points: 1, duration: 1 });
  }

  /** Refuses a try that must wait (RATE_LIMITED with retryAfterMs); a clean address is never refused. */
  async check(email: string, address: string): Promise<void> {
    const [delay, fromAddress] = await Promise.all([
      this.pairDelay.get(pairKey(email, address)),
      this.addressFailures.get(address),
    ]);
    if (delay && delay.consumedPoints > 1 && delay.msBeforeNext > 0) {
      throw new SlotcastError('RATE_LIMITED', 'Too many failed sign-ins from here; try again later', {
        retryAfterMs: Math.max(1, Math.ceil(delay.msBeforeNext)),
      });
    }
    if (fromAddress && fromAddress.consumedPoints >= this.settings.failuresPerAddress) {
      throw new SlotcastError('RATE_LIMITED', 'Too many failed sign-ins from this address; try again later', {
        retryAfterMs: Math.max(1, Math.ceil(fromAddress.msBeforeNext)),
      });
    }
  }

  async failed(email: string, address: string): Promise<void> {
    const key = pairKey(email, address);
    const [pair, account] = await Promise.all([
      this.pairFailures.penalty(key, 1),
      this.accountFailures.penalty(email, 1),
      this.addressFailures.penalty(address, 1),
    ]);
    const s = this.settings;
    const underAttack = account.consumedPoints > s.accountBudget;
    const free = underAttack ? 0 : s.freeFailures;
    const over = pair.consumedPoints - free;
    if (over <= 0) return;
    // Under attack every delay starts where a fourfold-repeated guesser's would be.
    const exponent = over - 1 + (underAttack ? 2 : 0);
    const seconds = Math.min(s.maxDelaySeconds, s.baseDelaySeconds * 2 ** Math.min(exponent, 30));
    await this.pairDelay.block(key, seconds);
  }

  /** The right password: this address starts clean on this account (the account's budget keeps counting down). */
  async succeeded(email: string, address: string): Promise<void> {
    const key = pairKey(email, address);
    await Promise.all([this.pairFailures.delete(key), this.pairDelay.delete(key)]);
  }
}

const pairKey = (email: string, address: string) => `${email}\n${address}`;
