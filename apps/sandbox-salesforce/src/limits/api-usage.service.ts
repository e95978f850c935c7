const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * The org's API request allocation over a rolling 24 hours (DailyApiRequests), counted per minute.
 * Every REST call but the versions list uses one request; past the limit calls are refused with
 * 403 REQUEST_LIMIT_EXCEEDED until old minutes roll out of the window.
 */
export class ApiUsage {
  private readonly minutes = new Map<number, number>();

  constructor(
    private dailyLimit: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get limit(): number {
    return this.dailyLimit;
  }

  setLimit(limit: number): void {
    this.dailyLimit = limit;
  }

  used(): number {
    const now = this.clock();
    let total = 0;
    for (const [minute, count] of this.minutes) {
      if (minute * MINUTE_MS <= now - DAY_MS) this.minutes.delete(minute);
      else total += count;
    }
    return total;
  }

  /** Counts one request; false (and nothing counted) when the allocation is used up. */
  tryConsume(): boolean {
    if (this.used() >= this.dailyLimit) return false;
    const minute = Math.floor(this.clock() / MINUTE_MS);
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1);
    return true;
  }

  /** Sets the usage of the current window (e.g. to the limit, to test exhaustion). */
  setUsed(used: number): void {
    this.minutes.clear();
    if (used > 0) this.minutes.set(Math.floor(this.clock() / MINUTE_MS), used);
  }

  /** The `Sforce-Limit-Info` header value. */
  header(): string {
    return `api-usage=${this.used()}/${this.dailyLimit}`;
  }
}
