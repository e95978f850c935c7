import { All, Controller, Delete, Get, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import { PardotAuthGuard } from '../auth/pardot-auth.guard.js';
import { PardotApiError } from '../errors/pardot-api.error.js';
import { baseUrlOf, type PardotRequest, type PardotResponse } from '../http/pardot-request.types.js';
import {
  CUSTOM_FIELD_TYPES,
  STANDARD_FIELDS_BY_NAME,
  type CustomFieldType,
} from '../store/prospect-fields.constants.js';
import type { CustomFieldRecord } from '../store/pardot-records.types.js';
import { PardotStore } from '../store/pardot-store.service.js';
import { PageTokenStore } from './page-token.store.js';
import { jsonObjectBody, pathId } from './v5-body.util.js';
import { v5DateTime } from './v5-format.util.js';
import { parseFields, runV5Query, type V5ObjectSpec } from './v5-query.util.js';
import { methodNotAllowed, optionalFields, replyJson, replyWithFields } from './v5-reply.util.js';

const FIELDS = [
  'id',
  'name',
  'fieldId',
  'type',
  'isRequired',
  'isRecordMultipleResponses',
  'salesforceId',
  'isUseValues',
  'isAnalyticsSynced',
  'createdAt',
  'updatedAt',
];
const CREATE_PROPERTIES = new Set([
  'name',
  'fieldId',
  'type',
  'isRequired',
  'isRecordMultipleResponses',
  'salesforceId',
]);
const UPDATE_PROPERTIES = new Set([
  'name',
  'type',
  'isRequired',
  'isRecordMultipleResponses',
  'salesforceId',
]);
const isField = (f: string): boolean => FIELDS.includes(f);

function render(c: CustomFieldRecord, fields: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    fieldId: c.fieldId,
    type: c.type,
    isRequired: c.isRequired,
    isRecordMultipleResponses: c.isRecordMultipleResponses,
    salesforceId: c.salesforceId,
    isUseValues: false,
    isAnalyticsSynced: false,
    createdAt: v5DateTime(c.createdAt),
    updatedAt: v5DateTime(c.updatedAt),
  };
  return Object.fromEntries(fields.map((f) => [f, all[f] ?? null]));
}

const SPEC: V5ObjectSpec<CustomFieldRecord> = {
  resource: 'custom-fields',
  isSelectable: isField,
  filters: {
    id: { type: 'integer', value: (c) => c.id },
    createdAt: { type: 'datetime', value: (c) => c.createdAt },
    updatedAt: { type: 'datetime', value: (c) => c.updatedAt },
  },
  sortable: {
    id: (c) => c.id,
    createdAt: (c) => c.createdAt.getTime(),
    updatedAt: (c) => c.updatedAt.getTime(),
  },
  render,
};

/**
 * v5 custom fields. A prospect write may use a custom field only once it exists here (by its
 * `fieldId`, e.g. "ERP_Customer_Code__c"); otherwise the write is refused with 154.
 */
@Controller('api/v5/objects/custom-fields')
@UseGuards(PardotAuthGuard)
export class CustomFieldsV5Controller {
  constructor(
    private readonly store: PardotStore,
    private readonly tokens: PageTokenStore,
  ) {}

  @Get()
  query(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const outcome = runV5Query(
      SPEC,
      this.store.customFields.values(),
      req.query,
      this.tokens,
      `${baseUrlOf(req)}${req.path}`,
    );
    replyJson(res, 200, outcome.page);
  }

  @Post()
  create(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = optionalFields(req.query, isField);
    const body = jsonObjectBody(req);
    rejectUnknown(body, CREATE_PROPERTIES);
    const name = body['name'];
    if (typeof name !== 'string' || name.trim() === '') throw PardotApiError.badRequest(153, 'name');
    const fieldId = body['fieldId'] ?? name.trim().replace(/[^A-Za-z0-9_]+/g, '_');
    if (typeof fieldId !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(fieldId)) {
      throw PardotApiError.badRequest(154, 'fieldId must start with a letter and hold letters, digits and _');
    }
    if (STANDARD_FIELDS_BY_NAME.has(fieldId) || this.store.customFieldByFieldId(fieldId)) {
      throw PardotApiError.badRequest(154, `a field with fieldId "${fieldId}" already exists`);
    }
    const type = fieldType(body['type'] ?? 'Text');
    const record = this.store.addCustomField(name.trim(), fieldId, type, new Date(), {
      isRequired: bool(body, 'isRequired'),
      isRecordMultipleResponses: bool(body, 'isRecordMultipleResponses'),
      salesforceId: optionalString(body, 'salesforceId'),
    });
    replyWithFields(res, 201, fields, (f) => render(record, f), {
      Location: `${baseUrlOf(req)}/api/v5/objects/custom-fields/${record.id}`,
    });
  }

  @Get(':id')
  read(@Param('id') id: string, @Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = parseFields(req.query['fields'], isField);
    replyJson(res, 200, render(this.find(id), fields));
  }

  @Patch(':id')
  update(@Param('id') id: string, @Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = optionalFields(req.query, isField);
    const record = this.find(id);
    const body = jsonObjectBody(req);
    if ('fieldId' in body) throw PardotApiError.badRequest(180, 'fieldId cannot be changed');
    rejectUnknown(body, UPDATE_PROPERTIES);
    if (body['name'] !== undefined) {
      if (typeof body['name'] !== 'string' || body['name'].trim() === '')
        throw PardotApiError.badRequest(154, 'name must be a non-empty string');
      record.name = body['name'].trim();
    }
    if (body['type'] !== undefined) record.type = fieldType(body['type']);
    const isRequired = bool(body, 'isRequired');
    if (isRequired !== undefined) record.isRequired = isRequired;
    const multiple = bool(body, 'isRecordMultipleResponses');
    if (multiple !== undefined) record.isRecordMultipleResponses = multiple;
    const salesforceId = optionalString(body, 'salesforceId');
    if (salesforceId !== undefined) record.salesforceId = salesforceId;
    record.updatedAt = new Date();
    replyWithFields(res, 200, fields, (f) => render(record, f));
  }

  /** Deleting a field also removes its values from every prospect. */
  @Delete(':id')
  remove(@Param('id') id: string, @Res() res: PardotResponse): void {
    const record = this.find(id);
    this.store.customFields.delete(record.id);
    for (const p of this.store.prospects.values()) p.values.delete(record.fieldId);
    replyJson(res, 204, undefined);
  }

  @All()
  collectionMethodNotAllowed(): never {
    throw methodNotAllowed();
  }

  @All(':id')
  recordMethodNotAllowed(): never {
    throw methodNotAllowed();
  }

  private find(raw: string): CustomFieldRecord {
    const record = this.store.customFields.get(pathId(raw));
    if (!record) throw PardotApiError.notFound(109, `no custom field ${raw}`);
    return record;
  }
}

function rejectUnknown(body: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  const unknown = Object.keys(body).filter((k) => !allowed.has(k));
  if (unknown.length > 0)
    throw PardotApiError.badRequest(
      154,
      `unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`,
    );
}

function fieldType(raw: unknown): CustomFieldType {
  if (typeof raw !== 'string' || !(CUSTOM_FIELD_TYPES as readonly string[]).includes(raw)) {
    throw PardotApiError.badRequest(154, `type must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`);
  }
  return raw as CustomFieldType;
}

function bool(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw PardotApiError.badRequest(154, `${key} must be true or false`);
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw PardotApiError.badRequest(154, `${key} must be a string`);
  return value;
}
