import { Injectable } from '@nestjs/common';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { normalizeSalesforceId } from '../sobjects/salesforce-id.util.js';
import { findField, findSObject } from '../sobjects/sobject-schema.util.js';
import type { FieldDef, SObjectDef, SObjectRecord } from '../sobjects/sobject-schema.types.js';
import { StoreTransaction } from '../sobjects/sobject-store.service.js';
import type { WriteContext } from '../sobjects/record-change.types.js';
import { recordUrl } from './record-json.util.js';

export interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: readonly string[] }[];
  created?: boolean;
}

export type UpsertOutcome =
  | { readonly kind: 'created' | 'updated'; readonly id: string }
  | { readonly kind: 'multiple'; readonly urls: string[] };

export const MAX_COLLECTION_RECORDS = 200;

/**
 * The record operations behind the REST routes, single and in collections: create, update, delete,
 * upsert by external id, and the all-or-none bookkeeping of sObject Collections.
 */
@Injectable()
export class SObjectApiService {
  constructor(private readonly org: SalesforceOrg) {}

  requireType(type: string): SObjectDef {
    const def = findSObject(type);
    if (!def) throw SalesforceApiError.notFound();
    return def;
  }

  /** An external id field usable in URLs (`Id` or a field marked externalId), or undefined. */
  externalIdField(def: SObjectDef, name: string): FieldDef | undefined {
    const field = findField(def, name);
    return field && (field.externalId || field.name === 'Id') ? field : undefined;
  }

  findByExternalId(def: SObjectDef, field: FieldDef, value: string): SObjectRecord[] {
    if (field.name === 'Id') {
      const id = normalizeSalesforceId(value);
      const record = id ? this.org.store.get(def.name, id) : undefined;
      return record ? [record] : [];
    }
    return this.org.store.findByField(def.name, field.name, value);
  }

  create(context: WriteContext, type: string, body: unknown): string {
    const def = this.requireType(type);
    return this.org.store.transaction(
      context,
      (tx) => this.store.create(tx, def.name, recordBody(body))['Id'] as string,
    );
  }

  update(context: WriteContext, type: string, id: string, body: unknown): void {
    const def = this.requireType(type);
    this.org.store.transaction(context, (tx) => this.store.update(tx, def.name, id, recordBody(body)));
  }

  delete(context: WriteContext, type: string, id: string): void {
    const def = this.requireType(type);
    this.org.store.transaction(context, (tx) => this.store.delete(tx, def.name, id));
  }

  /** PATCH /sobjects/{type}/{field}/{value}: create when nothing matches, update one match, 300 for several. */
  upsert(
    context: WriteContext,
    apiVersion: string,
    def: SObjectDef,
    field: FieldDef,
    value: string,
    body: unknown,
    updateOnly: boolean,
  ): UpsertOutcome {
    return this.org.store.transaction(context, (tx) =>
      this.upsertIn(tx, apiVersion, def, field, value, body, updateOnly),
    );
  }

  upsertIn(
    tx: StoreTransaction,
    apiVersion: string,
    def: SObjectDef,
    field: FieldDef,
    value: string,
    body: unknown,
    updateOnly: boolean,
  ): UpsertOutcome {
    const input = { ...recordBody(body) };
    for (const key of Object.keys(input)) {
      if (key.toLowerCase() !== field.name.toLowerCase()) continue;
      const given = input[key];
      if (given !== null && String(given).toLowerCase() !== value.toLowerCase()) {
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `The value of ${field.name} in the request body (${String(given)}) differs from the external id in the URL (${value})`,
          [field.name],
        );
      }
      delete input[key];
    }
    const matches = this.findByExternalId(def, field, value);
    if (matches.length > 1)
      return { kind: 'multiple', urls: matches.map((r) => recordUrl(def.name, String(r['Id']), apiVersion)) };
    const match = matches[0];
    if (match) {
      this.store.update(tx, def.name, String(match['Id']), input);
      return { kind: 'updated', id: String(match['Id']) };
    }
    if (updateOnly || field.name === 'Id') throw SalesforceApiError.notFound();
    const created = this.store.create(tx, def.name, { ...input, [field.name]: value });
    return { kind: 'created', id: String(created['Id']) };
  }

  /**
   * Runs one operation per record in a single transaction. allOrNone: the first failure rolls every
   * record back (the others report ALL_OR_NONE_OPERATION_ROLLED_BACK); otherwise each failed record
   * is rolled back alone and the rest commit.
   */
  collection<T>(
    context: WriteContext,
    items: readonly T[],
    allOrNone: boolean,
    operation: (tx: StoreTransaction, item: T) => SaveResult,
  ): SaveResult[] {
    const store = this.org.store;
    let failed = false;
    const results: SaveResult[] = [];
    const tx = new StoreTransaction(context);
    for (const item of items) {
      const point = store.savepoint(tx);
      try {
        results.push(operation(tx, item));
      } catch (error) {
        if (!(error instanceof SalesforceApiError)) {
          store.rollback(tx);
          throw error;
        }
        store.rollbackTo(tx, point);
        failed = true;
        results.push(failure(error));
      }
    }
    if (allOrNone && failed) {
      store.rollback(tx);
      return results.map((r) =>
        r.success
          ? {
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
              ...(r.created !== undefined ? { created: false } : {}),
            }
          : r,
      );
    }
    store.commit(tx);
    return results;
  }

  get store(): SalesforceOrg['store'] {
    return this.org.store;
  }
}

export function failure(error: SalesforceApiError, upsert = false): SaveResult {
  return { success: false, errors: [error.toRecordError()], ...(upsert ? { created: false } : {}) };
}

/** A JSON object body, or 400 (Salesforce answers a non-object body with JSON_PARSER_ERROR). */
export function recordBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw SalesforceApiError.jsonParser(
      'Cannot deserialize instance of sobject from the request body: a JSON object is required',
    );
  }
  return body as Record<string, unknown>;
}
