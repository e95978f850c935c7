import avro from 'avsc';

/**
 * How Avro logical types look in TypeScript, for the generated types and every (de)serializer:
 *
 * | Avro                          | TypeScript                                   |
 * | ----------------------------- | -------------------------------------------- |
 * | `long` `timestamp-millis`     | `Date`                                       |
 * | `int` `date`                  | {@link IsoDate}, e.g. `"2026-11-26"`         |
 * | `bytes` `decimal` (p, s)      | {@link DecimalString}, e.g. `"1250.5000"`    |
 * | `string` `uuid`               | `string` (validated on write)                |
 *
 * Decimals are strings so money never passes through a binary float; dates are strings so a calendar
 * date never shifts with a time zone.
 */

/** A decimal number written in base 10, e.g. `"1250.5"` or `"-3"`; decoded values carry exactly the schema's scale. */
export type DecimalString = string;
/** A calendar date `YYYY-MM-DD` (no time, no zone). */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type LogicalSchema = avro.Schema & { logicalType?: string; precision?: number; scale?: number };

/** A writer of the same logical type delivers values already converted: pass them through. */
function sameLogicalType(type: avro.Type, typeName: string): boolean {
  return avro.Type.isType(type, `logical:${typeName}`);
}

/** `long` + `timestamp-millis` ⇄ `Date`. */
export class TimestampMillisType extends avro.types.LogicalType {
  protected override _fromValue(value: number): Date {
    return new Date(value);
  }

  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
    return undefined;
  }

  protected override _resolve(type: avro.Type): ((value: unknown) => unknown) | undefined {
    if (sameLogicalType(type, 'timestamp-millis')) return (value) => value;
    if (avro.Type.isType(type, 'long', 'int')) return (value) => this._fromValue(value as number);
    return undefined;
  }
}

/** `int` + `date` (days since 1970-01-01) ⇄ `"YYYY-MM-DD"`. */
export class DateType extends avro.types.LogicalType {
  protected override _fromValue(days: number): IsoDate {
    return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
  }

  protected override _toValue(value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const match = ISO_DATE.exec(value);
    if (!match) return undefined;
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    // Rejects 2026-02-30 and the like: the date must survive the round trip.
    if (new Date(ms).toISOString().slice(0, 10) !== value) return undefined;
    return ms / MS_PER_DAY;
  }

  protected override _resolve(type: avro.Type): ((value: unknown) => unknown) | undefined {
    if (sameLogicalType(type, 'date')) return (value) => value;
    if (avro.Type.isType(type, 'int')) return (value) => this._fromValue(value as number);
    return undefined;
  }
}

/**
 * `bytes` + `decimal` ⇄ decimal string. Writing refuses, rather than rounds, a value with more
 * fraction digits than the scale or more digits than the precision.
 */
export class DecimalType extends avro.types.LogicalType {
  readonly precision: number;
  readonly scale: number;

  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const { precision, scale = 0 } = schema as LogicalSchema;
    if (!Number.isInteger(precision) || (precision ?? 0) < 1)
      throw new Error(`decimal: invalid precision ${String(precision)}`);
    if (!Number.isInteger(scale) || scale < 0 || scale > (precision ?? 0))
      throw new Error(`decimal: invalid scale ${String(scale)}`);
    this.precision = precision as number;
    this.scale = scale;
  }

  protected override _fromValue(bytes: Buffer): DecimalString {
    const unscaled = fromTwosComplement(bytes);
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(this.scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.scale);
    const fraction = digits.slice(digits.length - this.scale);
    return `${negative ? '-' : ''}${whole}${this.scale > 0 ? `.${fraction}` : ''}`;
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    if (typeof value !== 'string') return undefined;
    const match = DECIMAL.exec(value.trim());
    if (!match) return undefined;
    const [, sign = '', whole = '0', fraction = ''] = match;
    if (fraction.length > this.scale) return undefined;
    const digits = (whole + fraction.padEnd(this.scale, '0')).replace(/^0+(?=\d)/, '');
    if (digits.length > this.precision) return undefined;
    const unscaled = BigInt(digits) * (sign === '-' ? -1n : 1n);
    return toTwosComplement(unscaled);
  }

  protected override _resolve(type: avro.Type): ((value: unknown) => unknown) | undefined {
    if (type instanceof DecimalType && type.scale === this.scale && type.precision <= this.precision)
      return (value) => value;
    return undefined;
  }

  protected override _export(schema: LogicalSchema): void {
    schema.precision = this.precision;
    schema.scale = this.scale;
  }
}

/** `string` + `uuid`: a string, checked to be a UUID on write. */
export class UuidType extends avro.types.LogicalType {
  protected override _fromValue(value: string): string {
    return value;
  }

  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }

  protected override _resolve(type: avro.Type): ((value: unknown) => unknown) | undefined {
    if (sameLogicalType(type, 'uuid') || avro.Type.isType(type, 'string')) return (value) => value;
    return undefined;
  }
}

/** The logical type implementations every Avro type of the project is parsed with. */
export const AVRO_LOGICAL_TYPES: Readonly<
  Record<string, new (schema: avro.Schema, opts?: unknown) => avro.types.LogicalType>
> = {
  'timestamp-millis': TimestampMillisType,
  date: DateType,
  decimal: DecimalType,
  uuid: UuidType,
};

/**
 * avsc options for every schema of the project: the logical types above, and unions never wrapped
 * (`["null","string"]` is `string | null`); a schema whose union could not be told apart unwrapped
 * is rejected when parsed.
 */
export const AVRO_TYPE_OPTIONS: Readonly<Partial<avro.ForSchemaOptions>> = {
  logicalTypes: AVRO_LOGICAL_TYPES,
  wrapUnions: 'never',
};

/** Parses a self-contained schema (as in the registry) into an avsc type with the project's options. */
export function createAvroType(schema: object | string): avro.Type {
  const definition =
    typeof schema === 'string' ? (JSON.parse(schema) as avro.Schema) : (schema as avro.Schema);
  return avro.Type.forSchema(definition, { ...AVRO_TYPE_OPTIONS, registry: {} });
}

function toTwosComplement(value: bigint): Buffer {
  if (value === 0n) return Buffer.from([0]);
  let hex = (value < 0n ? -value : value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (value > 0n) {
    return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  }
  // Negative: invert and add one, with enough room for the sign bit.
  const width = bytes.length + 1;
  const twos = (1n << BigInt(width * 8)) + value;
  bytes = Buffer.from(twos.toString(16).padStart(width * 2, '0'), 'hex');
  // Drop redundant leading 0xff bytes while the sign bit stays set.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0xff && ((bytes[start + 1] ?? 0) & 0x80) !== 0)
    start += 1;
  return bytes.subarray(start);
}

function fromTwosComplement(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  return ((bytes[0] ?? 0) & 0x80) !== 0 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}
