import type { SourceRecordChanged } from '@pardot-x3/canonical';
import { nullPrototypeRecord } from '../safe-keys/safe-keys.util.js';
import type { JsonValue } from '../template/mapping-template.types.js';

/** Where the child lines of one entity go in the template input. */
export interface SourceLinesPlacement {
  /** Key of the input record holding the lines (e.g. `OpportunityLineItems`). */
  readonly into: string;
  /**
   * `list` (default): a plain array, as X3's `$details` embeds `SORDERQ`;
   * `soql`: a SOQL sub-query result `{ totalSize, done, records: [...] }`, as Salesforce returns child relationships.
   */
  readonly shape?: 'list' | 'soql';
}

export interface SourceRecordInputOptions {
  /** Placement of each child entity's lines; an entity not listed goes under its own name as a list. */
  readonly lines?: Readonly<Record<string, SourceLinesPlacement>>;
}

type JsonRecord = { [key: string]: JsonValue };

/**
 * The record a mapping template reads, from a source event (`SourceRecordChanged`): its fields, with
 * dotted names (`Account.Name`, as ingest flattens parent fields into the scalar field map) turned back
 * into nested records, and its child lines under the key the template's `each:` reads. A missing field
 * stays missing and a null stays null, so "unknown is not cleared" survives the trip.
 *
 * Field names come from outside: every record built here has no prototype, so a name such as
 * `__proto__.x` or `constructor.prototype.x` becomes an inert own key (`{ __proto__: { x } }`) instead of
 * writing into `Object.prototype`. {@link mapRecord} then refuses the record, naming the field
 * (`__proto__`, `constructor` and `prototype` are not allowed as field names), so it is dead-lettered.
 */
export function sourceRecordInput(
  record: Pick<SourceRecordChanged, 'fields' | 'lines'>,
  options: SourceRecordInputOptions = {},
): JsonRecord {
  const input = nest(record.fields);
  const byEntity = new Map<string, JsonRecord[]>();
  for (const line of record.lines) {
    const lines = byEntity.get(line.entity) ?? [];
    const item = nullPrototypeRecord<JsonValue>();
    item['Id'] = line.recordId;
    for (const [key, value] of Object.entries(nest(line.fields))) item[key] = value;
    lines.push(item);
    byEntity.set(line.entity, lines);
  }
  for (const [entity, lines] of byEntity) {
    const placement =
      options.lines && Object.hasOwn(options.lines, entity) ? options.lines[entity] : undefined;
    const key = placement?.into ?? entity;
    input[key] =
      placement?.shape === 'soql' ? { totalSize: lines.length, done: true, records: lines } : lines;
  }
  for (const [entity, placement] of Object.entries(options.lines ?? {})) {
    // A record without lines still has the (empty) relationship, as Salesforce answers it.
    if (!byEntity.has(entity) && !(placement.into in input))
      input[placement.into] = placement.shape === 'soql' ? { totalSize: 0, done: true, records: [] } : [];
  }
  return input;
}

function nest(fields: Readonly<Record<string, boolean | number | string | null>>): JsonRecord {
  const out = nullPrototypeRecord<JsonValue>();
  for (const [name, value] of Object.entries(fields)) {
    const path = name.split('.');
    let target = out;
    for (const [index, part] of path.entries()) {
      if (index === path.length - 1) {
        // A parent set to null (the lookup is empty) keeps its children out: nothing to nest into.
        if (!(part in target) || value !== null) target[part] = value;
        break;
      }
      const next = target[part];
      if (next === null && index < path.length - 1) break;
      if (typeof next !== 'object' || next === null || Array.isArray(next))
        target[part] = nullPrototypeRecord<JsonValue>();
      target = target[part] as JsonRecord;
    }
  }
  return out;
}
