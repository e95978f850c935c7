import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_PARDOT_CONFIG, type SandboxPardotConfig } from '../sandbox-pardot.config.js';

export interface ApiUsageSnapshot {
  readonly businessUnitId: string;
  readonly day: string;
  readonly used: number;
  readonly dailyLimit: number;
  readonly concurrentLimit: number;
  readonly inFlight: Readonly<Record<string, number>>;
}

export interface ApiUsageSettings {
  readonly dailyLimit?: number;
  readonly used?: number;
  readonly concurrentLimit?: number;
}

/**
 * Pardot's two API limits, per business unit: calls per day (reset at the start of the next UTC day;
 * Pardot uses the account's time zone) and requests in flight at once.
 */
@Injectable()
export class PardotApiUsage {
  private dailyLimit: number;
  private concurrentLimit: number;
  private used = 0;
  private day = utcDay(new Date());
  private readonly inFlight = new Map<string, number>();

  constructor(@Inject(SANDBOX_PARDOT_CONFIG) private readonly config: SandboxPardotConfig) {
    this.dailyLimit = config.PARDOT_DAILY_LIMIT;
    this.concurrentLimit = config.PARDOT_CONCURRENT_LIMIT;
  }

  /** Takes a concurrency slot for the business unit named in the request; false when all are taken. */
  enter(businessUnit: string): { admitted: true; release: () => void } | { admitted: false } {
    const current = this.inFlight.get(businessUnit) ?? 0;
    if (current >= this.concurrentLimit) return { admitted: false };
    this.inFlight.set(businessUnit, current + 1);
    return {
      admitted: true,
      release: () => {
        const now = (this.inFlight.get(businessUnit) ?? 1) - 1;
        if (now <= 0) this.inFlight.delete(businessUnit);
        else this.inFlight.set(businessUnit, now);
      },
    };
  }

  /** Counts one call against today's allocation; false (and not counted) when it is used up. */
  consume(now: Date = new Date()): boolean {
    this.rollOver(now);
    if (this.used >= this.dailyLimit) return false;
    this.used += 1;
    return true;
  }

  /** The `x-api-usage` value: calls made today over the daily allocation. */
  usageHeader(): string {
    return `${this.used}/${this.dailyLimit}`;
  }

  configure(settings: ApiUsageSettings): ApiUsageSnapshot {
    this.rollOver(new Date());
    if (settings.dailyLimit !== undefined) this.dailyLimit = settings.dailyLimit;
    if (settings.used !== undefined) this.used = settings.used;
    if (settings.concurrentLimit !== undefined) this.concurrentLimit = settings.concurrentLimit;
    return this.snapshot();
  }

  reset(): void {
    this.dailyLimit = this.config.PARDOT_DAILY_LIMIT;
    this.concurrentLimit = this.config.PARDOT_CONCURRENT_LIMIT;
    this.used = 0;
    this.day = utcDay(new Date());
  }

  snapshot(): ApiUsageSnapshot {
    this.rollOver(new Date());
    return {
      businessUnitId: this.config.PARDOT_BUSINESS_UNIT_ID,
      day: this.day,
      used: this.used,
      dailyLimit: this.dailyLimit,
      concurrentLimit: this.concurrentLimit,
      inFlight: Object.fromEntries(this.inFlight),
    };
  }

  private rollOver(now: Date): void {
    const today = utcDay(now);
    if (today !== this.day) {
      this.day = today;
      this.used = 0;
    }
  }
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
