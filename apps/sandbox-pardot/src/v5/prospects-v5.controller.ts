import { All, Controller, Delete, Get, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import { PardotAuthGuard } from '../auth/pardot-auth.guard.js';
import { PardotApiError } from '../errors/pardot-api.error.js';
import { baseUrlOf, type PardotRequest, type PardotResponse } from '../http/pardot-request.types.js';
import type { ProspectRecord, ProspectValue } from '../store/pardot-records.types.js';
import { PardotStore } from '../store/pardot-store.service.js';
import { ProspectService } from '../store/prospect.service.js';
import { isValidEmail, validateProspectInput } from '../store/prospect-values.util.js';
import { PageTokenStore } from './page-token.store.js';
import { isProspectField, prospectQuerySpec, renderProspect } from './prospect-v5.util.js';
import { jsonObjectBody, pathId } from './v5-body.util.js';
import { parseFields, runV5Query } from './v5-query.util.js';
import {
  methodNotAllowed,
  notImplemented,
  optionalFields,
  replyJson,
  replyWithFields,
} from './v5-reply.util.js';

const RECYCLE_BIN_WARNING = { 'Pardot-Warning': '201;Record In Recycle Bin' };
const UPSERT_PROPERTIES = new Set(['matchEmail', 'prospect', 'fields', 'secondaryDeletedSearch']);
/** The documented v5 prospect actions (apis.md §2.2) and their one HTTP method; all are POST. */
const COLLECTION_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['upsertLatestByEmail', 'POST'],
  ['undelete', 'POST'],
]);
const RECORD_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['addTag', 'POST'],
  ['removeTag', 'POST'],
]);

/**
 * A prospect action the sandbox has no handler for: 405 code 60 for a known action called with
 * another method (as Pardot answers, apis.md §2.4), 501 for a known action the sandbox does not offer
 * or an action Pardot does not document.
 */
function unhandledAction(actions: ReadonlyMap<string, string>, action: string, req: PardotRequest): never {
  const method = actions.get(action);
  if (method !== undefined && method !== req.method) throw methodNotAllowed();
  throw notImplemented(`${req.method} ${req.path}`);
}

/** v5 prospects: query, read, create, update (by id), delete, upsertLatestByEmail. */
@Controller('api/v5/objects/prospects')
@UseGuards(PardotAuthGuard)
export class ProspectsV5Controller {
  constructor(
    private readonly store: PardotStore,
    private readonly prospects: ProspectService,
    private readonly tokens: PageTokenStore,
  ) {}

  @Get()
  query(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const outcome = runV5Query(
      prospectQuerySpec(this.store),
      this.store.prospects.values(),
      req.query,
      this.tokens,
      `${baseUrlOf(req)}${req.path}`,
    );
    replyJson(res, 200, outcome.page, outcome.warning ? { 'Pardot-Warning': outcome.warning } : {});
  }

  @Post()
  create(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = optionalFields(req.query, (f) => this.isField(f));
    const values = validateProspectInput(jsonObjectBody(req), 'v5', (id) =>
      this.store.customFieldByFieldId(id),
    );
    const record = this.prospects.create(values);
    replyWithFields(res, 201, fields, (f) => renderProspect(this.store, record, f), {
      Location: `${baseUrlOf(req)}/api/v5/objects/prospects/${record.id}`,
    });
  }

  /**
   * Updates the prospect with that email that was active most recently (restoring one from the
   * recycle bin with secondaryDeletedSearch), or creates one: 200 when updated, 201 when created.
   */
  @Post('do/upsertLatestByEmail')
  upsertLatestByEmail(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    optionalFields(req.query, () => false);
    const body = jsonObjectBody(req);
    const unknown = Object.keys(body).filter((k) => !UPSERT_PROPERTIES.has(k));
    if (unknown.length > 0)
      throw PardotApiError.badRequest(
        154,
        `unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`,
      );
    const { matchEmail, prospect, fields, secondaryDeletedSearch } = body;
    if (matchEmail === undefined || matchEmail === null || matchEmail === '')
      throw PardotApiError.badRequest(153, 'matchEmail');
    if (!isValidEmail(matchEmail))
      throw new PardotApiError(4, 400, 'matchEmail is not a valid email address');
    if (typeof prospect !== 'object' || prospect === null || Array.isArray(prospect))
      throw PardotApiError.badRequest(153, 'prospect (an object of fields)');
    if (secondaryDeletedSearch !== undefined && typeof secondaryDeletedSearch !== 'boolean')
      throw PardotApiError.badRequest(154, 'secondaryDeletedSearch must be true or false');
    if (fields !== undefined && (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))) {
      throw PardotApiError.badRequest(154, 'fields must be an array of field names');
    }
    const wanted =
      fields === undefined ? undefined : parseFields((fields as string[]).join(','), (f) => this.isField(f));
    const values = validateProspectInput(prospect as Record<string, unknown>, 'v5', (id) =>
      this.store.customFieldByFieldId(id),
    );

    let target = this.prospects.latestByEmail(matchEmail, false);
    if (!target && secondaryDeletedSearch === true) {
      target = this.prospects.latestByEmail(matchEmail, true);
      if (target) this.prospects.undelete(target);
    }
    let record: ProspectRecord;
    let status: number;
    if (target) {
      record = this.prospects.update(target, values);
      status = 200;
    } else {
      const withEmail = new Map<string, ProspectValue>(values);
      if (!withEmail.has('email')) withEmail.set('email', matchEmail);
      record = this.prospects.create(withEmail);
      status = 201;
    }
    replyWithFields(res, status, wanted, (f) => renderProspect(this.store, record, f));
  }

  @All('do/:action')
  prospectAction(@Param('action') action: string, @Req() req: PardotRequest): never {
    unhandledAction(COLLECTION_ACTIONS, action, req);
  }

  @Get(':id')
  read(@Param('id') id: string, @Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const { fields: rawFields, deleted, ...rest } = req.query;
    if (Object.keys(rest).length > 0)
      throw PardotApiError.badRequest(
        5,
        `"${Object.keys(rest).join('", "')}" is not a parameter of this request`,
      );
    const fields = parseFields(rawFields, (f) => this.isField(f));
    const record = this.find(pathId(id));
    if (record.isDeleted && deleted !== 'true' && deleted !== 'all')
      throw PardotApiError.notFound(132, undefined, RECYCLE_BIN_WARNING);
    replyJson(res, 200, renderProspect(this.store, record, fields));
  }

  @Patch(':id')
  update(@Param('id') id: string, @Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = optionalFields(req.query, (f) => this.isField(f));
    const record = this.find(pathId(id));
    const values = validateProspectInput(jsonObjectBody(req), 'v5', (id) =>
      this.store.customFieldByFieldId(id),
    );
    this.prospects.update(record, values);
    replyWithFields(res, 200, fields, (f) => renderProspect(this.store, record, f));
  }

  @Delete(':id')
  remove(@Param('id') id: string, @Res() res: PardotResponse): void {
    const record = this.find(pathId(id));
    if (record.isDeleted) throw PardotApiError.notFound(3, undefined, RECYCLE_BIN_WARNING);
    this.prospects.delete(record);
    replyJson(res, 204, undefined);
  }

  @All(':id/do/:action')
  recordAction(@Param('action') action: string, @Req() req: PardotRequest): never {
    unhandledAction(RECORD_ACTIONS, action, req);
  }

  @All()
  collectionMethodNotAllowed(): never {
    throw methodNotAllowed();
  }

  @All(':id')
  recordMethodNotAllowed(): never {
    throw methodNotAllowed();
  }

  private isField(field: string): boolean {
    return isProspectField(this.store, field);
  }

  private find(id: number): ProspectRecord {
    const record = this.prospects.get(id);
    if (!record) throw PardotApiError.notFound(3);
    return record;
  }
}
