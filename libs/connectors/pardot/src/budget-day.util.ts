/** The calendar day (`YYYY-MM-DD`) of `at` in `timeZone`: the key of a daily budget. */
export function budgetDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Offset of `timeZone` from UTC at `at`, in milliseconds (local − UTC). */
function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the next budget day starts: midnight after `at` in `timeZone` (DST-safe). */
export function nextBudgetReset(at: Date, timeZone: string): Date {
  const [y, m, d] = budgetDay(at, timeZone).split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d + 1);
  let reset = midnightAsUtc - offsetMs(new Date(midnightAsUtc), timeZone);
  const corrected = midnightAsUtc - offsetMs(new Date(reset), timeZone);
  if (corrected !== reset) reset = corrected;
  return new Date(reset);
}
