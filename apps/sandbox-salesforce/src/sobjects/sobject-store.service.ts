import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { stageInfo } from './sobject-catalog.constants.js';
import { makeSalesforceId, normalizeSalesforceId } from './salesforce-id.util.js';
import { allSObjects, findAnySObject, findField, sobjectForId } from './sobject-schema.util.js';
import type { FieldDef, SObjectDef, SObjectRecord } from './sobject-schema.types.js';
import type { RecordChange, WriteContext } from './record-change.types.js';
import { coerceFieldValue, toIsoDateTime } from './sobject-values.util.js';
import { SObjectTable } from './sobject-table.service.js';

export type ChangeListener = (changes: readonly RecordChange[]) => void;

type PendingChange = Omit<RecordChange, 'committedAt'>;

/** Groups writes so they commit together or not at all (allOrNone, cascades). */
export class StoreTransaction {
  readonly undo: (() => void)[] = [];
  readonly changes: PendingChange[] = [];
  constructor(readonly context: WriteContext) {}
}

const SYSTEM_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);

/**
 * The org's data: records of every catalog object, kept in memory. Validates writes the way Salesforce
 * does (field names, types, required fields, unique external ids, references), maintains the system
 * and derived fields, soft-deletes into a recycle bin, and publishes committed changes to listeners.
 */
export class SObjectStore {
  private readonly tables = new Map<string, SObjectTable>();
  private readonly listeners: ChangeListener[] = [];
  private counter = 0;
  /** Last timestamp handed out, so LastModifiedDate never goes backwards within the store. */
  private lastTick = 0;

  constructor(private readonly clock: () => number = Date.now) {
    this.clear();
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  clear(): void {
    this.tables.clear();
    for (const def of allSObjects()) this.tables.set(def.name, new SObjectTable(def));
  }

  /** Runs `work` in one transaction: every write commits (and is published) or none does. */
  transaction<T>(context: WriteContext, work: (tx: StoreTransaction) => T): T {
    const tx = new StoreTransaction(context);
    let result: T;
    try {
      result = work(tx);
    } catch (error) {
      this.rollback(tx);
      throw error;
    }
    this.commit(tx);
    return result;
  }

  /** A point inside a transaction to roll back to (one record of a collection that failed). */
  savepoint(tx: StoreTransaction): { readonly undo: number; readonly changes: number } {
    return { undo: tx.undo.length, changes: tx.changes.length };
  }

  rollbackTo(tx: StoreTransaction, point: { readonly undo: number; readonly changes: number }): void {
    const undone = tx.undo.splice(point.undo);
    for (const undo of undone.reverse()) undo();
    tx.changes.splice(point.changes);
  }

  rollback(tx: StoreTransaction): void {
    for (const undo of tx.undo.reverse()) undo();
    tx.undo.length = 0;
    tx.changes.length = 0;
  }

  /**
   * Loads records as if they had always been there: no change events, audit dates as given.
   * Used to seed the org from a generated world.
   */
  load(context: WriteContext, work: (tx: StoreTransaction) => void): void {
    const tx = new StoreTransaction(context);
    try {
      work(tx);
    } catch (error) {
      this.rollback(tx);
      throw error;
    }
    tx.changes.length = 0;
    tx.undo.length = 0;
  }

  /** Sets audit dates of a loaded record (seeding only). */
  backdate(type: string, id: string, createdAt: string, modifiedAt: string = createdAt): void {
    const record = this.get(type, id);
    if (!record) return;
    record['CreatedDate'] = createdAt;
    record['LastModifiedDate'] = modifiedAt;
    record['SystemModstamp'] = modifiedAt;
  }

  commit(tx: StoreTransaction): void {
    if (tx.changes.length === 0) return;
    const committedAt = this.clock();
    const changes = tx.changes.map((c) => ({ ...c, committedAt }));
    tx.changes.length = 0;
    tx.undo.length = 0;
    for (const listener of this.listeners) listener(changes);
  }

  get(type: string, id: string, options: { includeDeleted?: boolean } = {}): SObjectRecord | undefined {
    const normalized = normalizeSalesforceId(id);
    if (!normalized) return undefined;
    const record = this.tables.get(type)?.get(normalized);
    if (!record || (record['IsDeleted'] === true && !options.includeDeleted)) return undefined;
    return record;
  }

  /** Any record by id, whatever its type (reference resolution). */
  getById(id: string, options: { includeDeleted?: boolean } = {}): SObjectRecord | undefined {
    const def = sobjectForId(id);
    return def ? this.get(def.name, id, options) : undefined;
  }

  all(type: string, options: { includeDeleted?: boolean } = {}): SObjectRecord[] {
    const table = this.tables.get(type);
    if (!table) return [];
    const rows = [...table.values()];
    return options.includeDeleted ? rows : rows.filter((r) => r['IsDeleted'] !== true);
  }

  count(type: string): number {
    return this.all(type).length;
  }

  /** Live records whose external id field equals `value` (case-insensitive, as Salesforce matches). */
  findByField(type: string, fieldName: string, value: string): SObjectRecord[] {
    const indexed = this.tables.get(type)?.findIndexed(fieldName, value);
    if (indexed) return indexed;
    const wanted = value.toLowerCase();
    return this.all(type).filter(
      (r) => typeof r[fieldName] === 'string' && (r[fieldName] as string).toLowerCase() === wanted,
    );
  }

  create(tx: StoreTransaction, type: string, input: Record<string, unknown>): SObjectRecord {
    const def = this.requireType(type);
    if (Object.keys(input).some((k) => k.toLowerCase() === 'id')) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        'The Id field should not be specified in the sobject data.',
      );
    }
    const values = this.coerceInput(def, input, 'create');
    const now = this.tick();
    const id = makeSalesforceId(def.keyPrefix, ++this.counter);
    const record: SObjectRecord = {};
    for (const field of def.fields) record[field.name] = null;
    Object.assign(record, {
      Id: id,
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: tx.context.userId,
      LastModifiedDate: now,
      LastModifiedById: tx.context.userId,
      SystemModstamp: now,
    });
    this.applyDefaults(def, record, tx.context.userId);
    Object.assign(record, values);
    this.derive(def, record);
    this.checkRequired(def, record);
    this.checkReferences(def, values);
    this.checkUnique(def, record);
    const table = this.table(def.name);
    table.set(id, record);
    tx.undo.push(() => table.delete(id));
    tx.changes.push({
      entityName: def.name,
      changeType: 'CREATE',
      recordId: id,
      record: { ...record },
      changedFields: [],
      nulledFields: [],
      context: tx.context,
    });
    this.afterWrite(tx, def, record, undefined);
    return record;
  }

  update(tx: StoreTransaction, type: string, id: string, input: Record<string, unknown>): SObjectRecord {
    const def = this.requireType(type);
    const existing = this.requireRecord(def, id);
    const { Id: _ignoredId, id: _ignoredLowerId, ...rest } = input;
    const values = this.coerceInput(def, rest, 'update');
    const before = { ...existing };
    const next: SObjectRecord = { ...existing, ...values };
    this.derive(def, next);
    this.checkRequired(def, next);
    this.checkReferences(def, values);
    this.checkUnique(def, next);
    const changed = def.fields
      .map((f) => f.name)
      .filter((name) => !SYSTEM_FIELDS.has(name) && !sameValue(before[name], next[name]));
    const now = this.tick();
    next['LastModifiedDate'] = now;
    next['LastModifiedById'] = tx.context.userId;
    next['SystemModstamp'] = now;
    const table = this.table(def.name);
    const key = existing['Id'] as string;
    table.set(key, next);
    tx.undo.push(() => table.set(key, before));
    tx.changes.push({
      entityName: def.name,
      changeType: 'UPDATE',
      recordId: key,
      record: { ...next },
      changedFields: [...changed, 'LastModifiedDate'],
      nulledFields: changed.filter((name) => next[name] === null),
      context: tx.context,
    });
    this.afterWrite(tx, def, next, before);
    return next;
  }

  delete(tx: StoreTransaction, type: string, id: string): void {
    const def = this.requireType(type);
    const existing = this.requireRecord(def, id);
    for (const relation of def.childRelationships.filter((r) => r.cascadeDelete)) {
      for (const childRecord of this.all(relation.childSObject).filter(
        (r) => r[relation.field] === existing['Id'],
      )) {
        this.delete(tx, relation.childSObject, childRecord['Id'] as string);
      }
    }
    const before = { ...existing };
    const now = this.tick();
    const deleted = {
      ...existing,
      IsDeleted: true,
      SystemModstamp: now,
      LastModifiedDate: now,
      LastModifiedById: tx.context.userId,
    };
    const table = this.table(def.name);
    const key = existing['Id'] as string;
    table.set(key, deleted);
    tx.undo.push(() => table.set(key, before));
    tx.changes.push({
      entityName: def.name,
      changeType: 'DELETE',
      recordId: key,
      record: before,
      changedFields: [],
      nulledFields: [],
      context: tx.context,
    });
    this.afterWrite(tx, def, undefined, before);
  }

  /** Restores a record from the recycle bin (Salesforce's undelete; the REST API has no route for it). */
  undelete(tx: StoreTransaction, type: string, id: string): SObjectRecord {
    const def = this.requireType(type);
    const existing = this.get(def.name, id, { includeDeleted: true });
    if (!existing) throw SalesforceApiError.notFound();
    if (existing['IsDeleted'] !== true)
      throw new SalesforceApiError(400, 'UNDELETE_FAILED', 'Entity is not in the recycle bin');
    const before = { ...existing };
    const now = this.tick();
    const restored = {
      ...existing,
      IsDeleted: false,
      SystemModstamp: now,
      LastModifiedDate: now,
      LastModifiedById: tx.context.userId,
    };
    this.checkUnique(def, restored);
    const table = this.table(def.name);
    const key = existing['Id'] as string;
    table.set(key, restored);
    tx.undo.push(() => table.set(key, before));
    tx.changes.push({
      entityName: def.name,
      changeType: 'UNDELETE',
      recordId: key,
      record: { ...restored },
      changedFields: [],
      nulledFields: [],
      context: tx.context,
    });
    this.afterWrite(tx, def, restored, undefined);
    return restored;
  }

  private requireType(type: string): SObjectDef {
    const def = findAnySObject(type);
    if (!def) throw SalesforceApiError.notFound();
    return def;
  }

  private requireRecord(def: SObjectDef, id: string): SObjectRecord {
    const record = this.get(def.name, id, { includeDeleted: true });
    if (!record) throw SalesforceApiError.notFound();
    if (record['IsDeleted'] === true) throw SalesforceApiError.entityIsDeleted();
    return record;
  }

  private table(type: string): SObjectTable {
    const table = this.tables.get(type);
    if (!table) throw SalesforceApiError.notFound();
    return table;
  }

  private tick(): string {
    // Salesforce keeps audit timestamps to the second.
    const now = Math.floor(this.clock() / 1000) * 1000;
    this.lastTick = Math.max(this.lastTick, now);
    return toIsoDateTime(this.lastTick);
  }

  private coerceInput(
    def: SObjectDef,
    input: Record<string, unknown>,
    mode: 'create' | 'update',
  ): SObjectRecord {
    const values: SObjectRecord = {};
    const readOnly: string[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const field = findField(def, key);
      if (!field)
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `No such column '${key}' on sobject of type ${def.name}`,
        );
      if (mode === 'create' ? !field.createable : !field.updateable) {
        readOnly.push(field.name);
        continue;
      }
      values[field.name] = coerceFieldValue(field, raw);
    }
    if (readOnly.length > 0) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      );
    }
    return values;
  }

  private applyDefaults(def: SObjectDef, record: SObjectRecord, userId: string): void {
    const defaults: Record<string, unknown> = {
      OwnerId: userId,
      HasOptedOutOfEmail: false,
      Credit_Hold__c: false,
      IsConverted: false,
      IsActive: false,
      IsClosed: false,
      IsWon: false,
      Status: 'Open - Not Contacted',
    };
    for (const [name, value] of Object.entries(defaults)) {
      if (def.fields.some((f) => f.name === name)) record[name] = value;
    }
  }

  /** Fields Salesforce computes: person Name, Opportunity stage facts, line item totals. */
  private derive(def: SObjectDef, record: SObjectRecord): void {
    if (def.name === 'Contact' || def.name === 'Lead') {
      record['Name'] =
        [record['FirstName'], record['LastName']]
          .filter((p) => typeof p === 'string' && p !== '')
          .join(' ') || null;
    }
    if (def.name === 'Opportunity') {
      const stage = stageInfo(record['StageName']);
      record['IsClosed'] = stage?.closed ?? false;
      record['IsWon'] = stage?.won ?? false;
      if (record['Probability'] === null && stage) record['Probability'] = stage.probability;
    }
    if (def.name === 'OpportunityLineItem') {
      const product =
        typeof record['Product2Id'] === 'string' ? this.get('Product2', record['Product2Id']) : undefined;
      const opportunity =
        typeof record['OpportunityId'] === 'string'
          ? this.get('Opportunity', record['OpportunityId'])
          : undefined;
      record['ProductCode'] = product?.['ProductCode'] ?? null;
      record['ListPrice'] = product?.['List_Price__c'] ?? null;
      record['Name'] =
        [opportunity?.['Name'], product?.['Name']].filter((p) => typeof p === 'string').join(' ') || null;
      const quantity = typeof record['Quantity'] === 'number' ? record['Quantity'] : undefined;
      if (quantity !== undefined && typeof record['UnitPrice'] === 'number')
        record['TotalPrice'] = round2(quantity * record['UnitPrice']);
      else if (quantity !== undefined && quantity !== 0 && typeof record['TotalPrice'] === 'number')
        record['UnitPrice'] = round2(record['TotalPrice'] / quantity);
    }
  }

  private checkRequired(def: SObjectDef, record: SObjectRecord): void {
    const missing = def.fields
      .filter((f) => isRequired(f) && (record[f.name] === null || record[f.name] === undefined))
      .map((f) => f.name);
    if (def.name === 'OpportunityLineItem') {
      if (record['Product2Id'] === null) missing.push('Product2Id');
      if (record['UnitPrice'] === null && record['TotalPrice'] === null) missing.push('UnitPrice');
    }
    if (missing.length > 0) {
      throw new SalesforceApiError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      );
    }
  }

  private checkReferences(def: SObjectDef, values: SObjectRecord): void {
    for (const [name, value] of Object.entries(values)) {
      const field = findField(def, name);
      if (
        !field ||
        field.type !== 'reference' ||
        typeof value !== 'string' ||
        field.referenceTo.includes('User')
      )
        continue;
      const target = sobjectForId(value);
      if (!target || !field.referenceTo.includes(target.name)) {
        throw new SalesforceApiError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          `${field.label}: id value of incorrect type: ${value}`,
          [field.name],
        );
      }
      const parent = this.get(target.name, value, { includeDeleted: true });
      if (!parent)
        throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, []);
      if (parent['IsDeleted'] === true)
        throw new SalesforceApiError(400, 'ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
    }
  }

  private checkUnique(def: SObjectDef, record: SObjectRecord): void {
    for (const field of def.fields.filter((f) => f.unique)) {
      const value = record[field.name];
      if (typeof value !== 'string') continue;
      const clash = this.findByField(def.name, field.name, value).find((r) => r['Id'] !== record['Id']);
      if (clash) {
        throw new SalesforceApiError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${String(clash['Id'])}`,
          [],
        );
      }
    }
  }

  /** Roll-ups: an Opportunity's Amount follows its line items. */
  private afterWrite(
    tx: StoreTransaction,
    def: SObjectDef,
    after: SObjectRecord | undefined,
    before: SObjectRecord | undefined,
  ): void {
    if (def.name !== 'OpportunityLineItem') return;
    const opportunityIds = new Set(
      [after?.['OpportunityId'], before?.['OpportunityId']].filter((v): v is string => typeof v === 'string'),
    );
    for (const opportunityId of opportunityIds) {
      const opportunity = this.get('Opportunity', opportunityId);
      if (!opportunity) continue;
      const items = this.all('OpportunityLineItem').filter((r) => r['OpportunityId'] === opportunityId);
      const amount =
        items.length === 0
          ? opportunity['Amount']
          : round2(
              items.reduce((sum, r) => sum + (typeof r['TotalPrice'] === 'number' ? r['TotalPrice'] : 0), 0),
            );
      if (!sameValue(amount, opportunity['Amount']))
        this.updateInternal(tx, 'Opportunity', opportunityId, { Amount: amount });
    }
  }

  /** A server-side update that bypasses field-level security (roll-ups). */
  private updateInternal(tx: StoreTransaction, type: string, id: string, values: SObjectRecord): void {
    const def = this.requireType(type);
    const existing = this.requireRecord(def, id);
    const before = { ...existing };
    const now = this.tick();
    const next: SObjectRecord = { ...existing, ...values, LastModifiedDate: now, SystemModstamp: now };
    const table = this.table(def.name);
    table.set(id, next);
    tx.undo.push(() => table.set(id, before));
    const changed = Object.keys(values);
    tx.changes.push({
      entityName: def.name,
      changeType: 'UPDATE',
      recordId: id,
      record: { ...next },
      changedFields: [...changed, 'LastModifiedDate'],
      nulledFields: changed.filter((name) => next[name] === null),
      context: tx.context,
    });
  }
}

function isRequired(field: FieldDef): boolean {
  return field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
