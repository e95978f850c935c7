import type { SObjectDef, SObjectRecord } from './sobject-schema.types.js';

/**
 * The records of one object by id, with an index on its external id fields (live records only,
 * values compared case-insensitively) so upserts and unique checks stay fast on large worlds.
 */
export class SObjectTable {
  private readonly rows = new Map<string, SObjectRecord>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(def: SObjectDef) {
    for (const field of def.fields) if (field.externalId) this.indexes.set(field.name, new Map());
  }

  get(id: string): SObjectRecord | undefined {
    return this.rows.get(id);
  }

  values(): IterableIterator<SObjectRecord> {
    return this.rows.values();
  }

  set(id: string, record: SObjectRecord): void {
    this.unindex(id);
    this.rows.set(id, record);
    if (record['IsDeleted'] === true) return;
    for (const [field, index] of this.indexes) {
      const key = indexKey(record[field]);
      if (key === undefined) continue;
      let ids = index.get(key);
      if (!ids) index.set(key, (ids = new Set()));
      ids.add(id);
    }
  }

  delete(id: string): void {
    this.unindex(id);
    this.rows.delete(id);
  }

  /** Live records whose indexed field equals `value`, or undefined when the field is not indexed. */
  findIndexed(field: string, value: string): SObjectRecord[] | undefined {
    const index = this.indexes.get(field);
    if (!index) return undefined;
    const ids = index.get(value.toLowerCase());
    return ids
      ? [...ids].map((id) => this.rows.get(id)).filter((r): r is SObjectRecord => r !== undefined)
      : [];
  }

  private unindex(id: string): void {
    const previous = this.rows.get(id);
    if (!previous) return;
    for (const [field, index] of this.indexes) {
      const key = indexKey(previous[field]);
      if (key === undefined) continue;
      const ids = index.get(key);
      ids?.delete(id);
      if (ids?.size === 0) index.delete(key);
    }
  }
}

function indexKey(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}
