import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf } from './value-display.util.js';

export interface DateOptions {
  /**
   * How a date written in a local convention reads, with the tokens `YYYY`, `MM`, `DD` (e.g.
   * `DD/MM/YYYY`). ISO-8601 (`2026-03-05`, with or without a time) and X3's compact `YYYYMMDD` are
   * always understood.
   */
  readonly format?: string;
  /** IANA time zone for date-times written without an offset (Pardot v4 uses the API user's zone). */
  readonly timeZone?: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The largest distance from 1970 a JavaScript date can hold (±100,000,000 days); beyond it `toISOString` throws. */
const MAX_INSTANT_MS = 8.64e15;
const OUT_OF_RANGE = 'is not a point in time (milliseconds since 1970 beyond ±8.64e15, the range of a date)';

/** A calendar date as `YYYY-MM-DD`. A date-time keeps the date it was written with. */
export function harmoniseDate(value: unknown, options: DateOptions = {}): Harmonised<string> {
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      return notHarmonised('invalid-date', 'is not a date (a number here must be milliseconds since 1970)');
    if (Math.abs(value) > MAX_INSTANT_MS) return notHarmonised('invalid-date', OUT_OF_RANGE);
    return harmonised(new Date(value).toISOString().slice(0, 10));
  }
  if (typeof value !== 'string') return notHarmonised('wrong-type', `is ${kindOf(value)}, not a date`);
  const text = value.trim();
  const parts = readDateParts(text, options.format);
  if (!parts)
    return notHarmonised(
      'invalid-date',
      `is not a date${options.format ? ` in the form ${options.format}` : ''} (expected e.g. 2026-03-05)`,
    );
  if (!isRealDate(parts)) return notHarmonised('invalid-date', 'is not a real calendar date');
  return harmonised(`${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`);
}

/** An instant as milliseconds since 1970 UTC (the canonical `observedAt`). */
export function harmoniseTimestamp(value: unknown, options: DateOptions = {}): Harmonised<number> {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) > MAX_INSTANT_MS)
      return notHarmonised('invalid-date', OUT_OF_RANGE);
    return Number.isInteger(value)
      ? harmonised(value)
      : notHarmonised(
          'invalid-date',
          'is not a point in time (a number here must be whole milliseconds since 1970)',
        );
  }
  if (typeof value !== 'string') return notHarmonised('wrong-type', `is ${kindOf(value)}, not a date-time`);
  const text = value.trim();
  const match = ISO_DATE_TIME.exec(text);
  const dateOnly = ISO_DATE.exec(text) ?? COMPACT_DATE.exec(text);
  if (!match && !dateOnly)
    return notHarmonised(
      'invalid-date',
      'is not a date-time (expected ISO-8601 such as 2026-03-05T14:30:00Z)',
    );
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', offset] = match ?? [
    ...(dateOnly ?? []),
    '0',
    '0',
    '0',
    '0',
    'Z',
  ];
  const parts = { year: Number(y), month: Number(mo), day: Number(d) };
  const time = {
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)),
  };
  if (!isRealDate(parts) || time.hour > 23 || time.minute > 59 || time.second > 59)
    return notHarmonised('invalid-date', 'is not a real date and time');
  const wallClock = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    time.hour,
    time.minute,
    time.second,
    time.millisecond,
  );
  if (offset) return harmonised(wallClock - offsetMinutes(offset) * 60_000);
  if (!options.timeZone)
    return notHarmonised(
      'invalid-date',
      'has no time zone offset and the template names no timeZone to read it in',
    );
  const instant = zonedWallClockToInstant(wallClock, options.timeZone);
  return instant === undefined
    ? notHarmonised('invalid-date', `cannot be read in the time zone ${options.timeZone}`)
    : harmonised(instant);
}

/** An instant as an ISO-8601 UTC text (`2026-03-05T13:30:00.000Z`), for targets that want text. */
export function harmoniseDateTime(value: unknown, options: DateOptions = {}): Harmonised<string> {
  const instant = harmoniseTimestamp(value, options);
  return instant.ok ? harmonised(new Date(instant.value).toISOString()) : instant;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A local date format is valid when it has exactly one of each of YYYY, MM and DD. */
export function isDateFormat(format: string): boolean {
  return ['YYYY', 'MM', 'DD'].every((token) => format.split(token).length === 2);
}

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function readDateParts(text: string, format: string | undefined): DateParts | undefined {
  const iso = ISO_DATE.exec(text) ?? COMPACT_DATE.exec(text) ?? ISO_DATE_TIME.exec(text);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  if (!format) return undefined;
  const order: (keyof DateParts)[] = [];
  const pattern = format.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/YYYY|MM|DD/g, (token) => {
    order.push(token === 'YYYY' ? 'year' : token === 'MM' ? 'month' : 'day');
    return token === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})';
  });
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return undefined;
  const parts: DateParts = { year: 0, month: 0, day: 0 };
  order.forEach((key, index) => (parts[key] = Number(match[index + 1])));
  return parts;
}

function isRealDate({ year, month, day }: DateParts): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const [, sign, hours, minutes = '00'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset) ?? [];
  const total = Number(hours) * 60 + Number(minutes);
  return sign === '-' ? -total : total;
}

/** The instant at which the clocks of `zone` show `wallClock` (read as if it were UTC). */
function zonedWallClockToInstant(wallClock: number, zone: string): number | undefined {
  if (!isTimeZone(zone)) return undefined;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (instant: number): number => {
    const fields = Object.fromEntries(
      format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]),
    );
    const shown = Date.UTC(
      fields['year'] ?? 0,
      (fields['month'] ?? 1) - 1,
      fields['day'] ?? 1,
      fields['hour'] ?? 0,
      fields['minute'] ?? 0,
      fields['second'] ?? 0,
    );
    return shown - Math.floor(instant / 1000) * 1000;
  };
  const first = wallClock - offsetAt(wallClock);
  return wallClock - offsetAt(first);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
