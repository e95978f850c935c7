/** Formatters by time zone: building one costs far more than formatting with it (ICU data). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();
/** The last day computed per time zone and the instants it surely spans (from its first use to its end). */
const lastDays = new Map<string, { readonly day: string; readonly from: number; readonly until: number }>();

/** The calendar day (`YYYY-MM-DD`) of `at` in `timeZone`: the key of a daily budget (every API call asks). */
export function budgetDay(at: Date, timeZone: string): string {
  const t = at.getTime();
  const last = lastDays.get(timeZone);
  if (last && t >= last.from && t < last.until) return last.day;
  const day = formatDay(at, timeZone);
  lastDays.set(timeZone, { day, from: t, until: nextResetOf(day, timeZone).getTime() });
  return day;
}

function formatDay(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Offset of `timeZone` from UTC at `at`, in milliseconds (local − UTC). */
function offsetMs(at: Date, timeZone: string): number {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    clockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the next budget day starts: midnight after `at` in `timeZone` (DST-safe). */
export function nextBudgetReset(at: Date, timeZone: string): Date {
  return nextResetOf(budgetDay(at, timeZone), timeZone);
}

function nextResetOf(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d + 1);
  let reset = midnightAsUtc - offsetMs(new Date(midnightAsUtc), timeZone);
  const corrected = midnightAsUtc - offsetMs(new Date(reset), timeZone);
  if (corrected !== reset) reset = corrected;
  return new Date(reset);
}
