import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { normalizeSalesforceId } from '../sobjects/salesforce-id.util.js';
import { findSObject, sobjectForId } from '../sobjects/sobject-schema.util.js';
import { CurrentCall } from './current-call.decorator.js';
import { toRestRecord } from './record-json.util.js';
import { RestApiInterceptor } from './rest-api.interceptor.js';
import type { RestCall } from './rest-call.util.js';
import {
  MAX_COLLECTION_RECORDS,
  SObjectApiService,
  recordBody,
  type SaveResult,
} from './sobject-api.service.js';

interface CollectionBody {
  readonly allOrNone: boolean;
  readonly records: readonly Record<string, unknown>[];
}

/** sObject Collections: create, update, upsert, delete and retrieve up to 200 records in one call. */
@Controller('services/data/:version/composite/sobjects')
@UseInterceptors(RestApiInterceptor)
export class CollectionsController {
  constructor(
    private readonly org: SalesforceOrg,
    private readonly api: SObjectApiService,
  ) {}

  @Post()
  @HttpCode(200)
  create(@CurrentCall() call: RestCall, @Body() body: unknown): SaveResult[] {
    const { allOrNone, records } = collectionBody(body);
    return this.api.collection(call.context, records, allOrNone, (tx, record) => {
      const { attributes, ...fields } = record;
      const def = typeOf(attributes);
      if (Object.keys(fields).some((k) => k.toLowerCase() === 'id')) {
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          'The Id field should not be specified in the sobject data.',
        );
      }
      const created = this.api.store.create(tx, def, fields);
      return { id: String(created['Id']), success: true, errors: [] };
    });
  }

  @Patch()
  @HttpCode(200)
  update(@CurrentCall() call: RestCall, @Body() body: unknown): SaveResult[] {
    const { allOrNone, records } = collectionBody(body);
    return this.api.collection(call.context, records, allOrNone, (tx, record) => {
      const { attributes, ...fields } = record;
      const def = typeOf(attributes);
      const idKey = Object.keys(fields).find((k) => k.toLowerCase() === 'id');
      const id = idKey ? fields[idKey] : undefined;
      if (typeof id !== 'string' || id === '')
        throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
      if (!normalizeSalesforceId(id))
        throw new SalesforceApiError(400, 'MALFORMED_ID', `malformed id ${id}`, []);
      const updated = this.api.store.update(tx, def, id, fields);
      return { id: String(updated['Id']), success: true, errors: [] };
    });
  }

  @Patch(':type/:field')
  @HttpCode(200)
  upsert(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Param('field') fieldName: string,
    @Body() body: unknown,
  ): SaveResult[] {
    const def = this.api.requireType(type);
    const field = this.api.externalIdField(def, fieldName);
    if (!field || field.name === 'Id') throw SalesforceApiError.notFound();
    const { allOrNone, records } = collectionBody(body);
    return this.api.collection(call.context, records, allOrNone, (tx, record) => {
      const { attributes, ...fields } = record;
      if (typeOf(attributes) !== def.name) {
        throw new SalesforceApiError(
          400,
          'INVALID_TYPE',
          `This sObject Collections upsert only accepts records of type ${def.name}`,
        );
      }
      const key = Object.keys(fields).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const value = key ? fields[key] : undefined;
      if (value === undefined || value === null || value === '') {
        throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
      }
      const outcome = this.api.upsertIn(tx, call.apiVersion, def, field, String(value), fields, false);
      if (outcome.kind === 'multiple') {
        throw new SalesforceApiError(
          300,
          'DUPLICATE_EXTERNAL_ID',
          `${field.name}: more than one record found for external id field: ${outcome.urls.map((u) => u.split('/').pop()).join(', ')}`,
          [field.name],
        );
      }
      return { id: outcome.id, success: true, errors: [], created: outcome.kind === 'created' };
    });
  }

  @Delete()
  @HttpCode(200)
  remove(
    @CurrentCall() call: RestCall,
    @Query('ids') ids: string | undefined,
    @Query('allOrNone') allOrNone: string | undefined,
  ): SaveResult[] {
    const list = (ids ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (list.length === 0) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
    if (list.length > MAX_COLLECTION_RECORDS) throw tooManyRecords();
    return this.api.collection(call.context, list, allOrNone === 'true', (tx, id) => {
      const def = normalizeSalesforceId(id) ? sobjectForId(id) : undefined;
      if (!def) throw new SalesforceApiError(400, 'MALFORMED_ID', `malformed id ${id}`, []);
      this.api.store.delete(tx, def.name, id);
      return { id: normalizeSalesforceId(id) as string, success: true, errors: [] };
    });
  }

  @Post(':type')
  @HttpCode(200)
  retrieve(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Body() body: unknown,
  ): (Record<string, unknown> | null)[] {
    const { ids, fields } = recordBody(body) as { ids?: unknown; fields?: unknown };
    return this.retrieveRecords(call, type, ids, fields);
  }

  @Get(':type')
  retrieveByQuery(
    @CurrentCall() call: RestCall,
    @Param('type') type: string,
    @Query('ids') ids: string | undefined,
    @Query('fields') fields: string | undefined,
  ): (Record<string, unknown> | null)[] {
    return this.retrieveRecords(call, type, (ids ?? '').split(','), (fields ?? '').split(','));
  }

  private retrieveRecords(
    call: RestCall,
    type: string,
    ids: unknown,
    fields: unknown,
  ): (Record<string, unknown> | null)[] {
    const def = this.api.requireType(type);
    if (!Array.isArray(ids) || !Array.isArray(fields) || fields.length === 0) {
      throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids and fields are required');
    }
    if (ids.length > 2000)
      throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', 'Too many ids: at most 2000');
    const names = fields.map(String);
    return ids.map((id) => {
      const record = typeof id === 'string' ? this.org.store.get(def.name, id) : undefined;
      return record ? toRestRecord(def, record, call.apiVersion, names) : null;
    });
  }
}

function collectionBody(body: unknown): CollectionBody {
  const object = recordBody(body);
  const records = object['records'];
  if (!Array.isArray(records))
    throw SalesforceApiError.jsonParser('Cannot deserialize the request body: "records" must be an array');
  if (records.length > MAX_COLLECTION_RECORDS) throw tooManyRecords();
  if (records.some((r) => !r || typeof r !== 'object' || Array.isArray(r)))
    throw SalesforceApiError.jsonParser(
      'Cannot deserialize the request body: every record must be a JSON object',
    );
  const allOrNone = object['allOrNone'];
  return {
    allOrNone: allOrNone === true || allOrNone === 'true',
    records: records as Record<string, unknown>[],
  };
}

/** The sObject type named in a collection record's `attributes`. */
function typeOf(attributes: unknown): string {
  const type =
    attributes && typeof attributes === 'object' ? (attributes as { type?: unknown }).type : undefined;
  const def = typeof type === 'string' ? findSObject(type) : undefined;
  if (!def) throw new SalesforceApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  return def.name;
}

/** More than 200 records (settled choice; apis.md leaves the exact body unconfirmed). */
function tooManyRecords(): SalesforceApiError {
  return new SalesforceApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
  );
}
