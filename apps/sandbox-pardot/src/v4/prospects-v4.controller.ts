import { All, Controller, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import { sendSandboxResponse } from '@pardot-x3/sandbox-kit';
import { PardotAuthGuard } from '../auth/pardot-auth.guard.js';
import { PardotApiError } from '../errors/pardot-api.error.js';
import { wantsJson } from '../http/pardot-api-version.util.js';
import type { PardotRequest, PardotResponse } from '../http/pardot-request.types.js';
import { SANDBOX_PARDOT_CONFIG, type SandboxPardotConfig } from '../sandbox-pardot.config.js';
import type { ProspectRecord, ProspectValue } from '../store/pardot-records.types.js';
import { PardotStore } from '../store/pardot-store.service.js';
import { ProspectService } from '../store/prospect.service.js';
import { isValidEmail, validateProspectInput } from '../store/prospect-values.util.js';
import { notImplemented } from '../v5/v5-reply.util.js';
import { renderLegacyProspect } from './prospect-v4.util.js';
import { legacySuccess } from './v4-envelope.util.js';

/** Parameters that are about the call, not prospect fields. */
const CALL_PARAMETERS = new Set([
  'format',
  'output',
  'api_key',
  'user_key',
  'limit_related_records',
  'prospects',
]);
export const MAX_BATCH = 50;
/** Operations whose methods are not the usual GET or POST. */
const OPERATION_METHODS: ReadonlyMap<string, readonly string[]> = new Map([['delete', ['POST', 'DELETE']]]);
const KNOWN_OPERATIONS = new Set([
  'create',
  'upsert',
  'query',
  'delete',
  'batchCreate',
  'batchUpdate',
  'assign',
  'unassign',
]);

/**
 * The legacy prospect API (v3 without AMPSEA, v4 with it): read, update and batchUpsert on the same
 * store as v5, in the `format=json` envelope or Pardot's XML. Parameters come from the query string
 * or a form body (POST recommended).
 */
@Controller('api/prospect/version/:version/do')
@UseGuards(PardotAuthGuard)
export class ProspectsV4Controller {
  constructor(
    private readonly store: PardotStore,
    private readonly prospects: ProspectService,
    @Inject(SANDBOX_PARDOT_CONFIG) private readonly config: SandboxPardotConfig,
  ) {}

  @All('read/:idField/:value')
  read(
    @Param('version') version: string,
    @Param('idField') idField: string,
    @Param('value') value: string,
    @Req() req: PardotRequest,
    @Res() res: PardotResponse,
  ): void {
    this.checkCall(req, version);
    let found: ProspectRecord[];
    if (idField === 'id') {
      const p = this.byId(value);
      if (p.isDeleted) throw PardotApiError.badRequest(132);
      found = [p];
    } else if (idField === 'email') {
      found = this.prospects.byEmail(value).sort((a, b) => a.id - b.id);
      if (found.length === 0) throw PardotApiError.badRequest(4);
    } else if (idField === 'fid') {
      const p = this.prospects.byCrmId(value);
      if (!p || p.isDeleted) throw PardotApiError.badRequest(77);
      found = [p];
    } else {
      throw PardotApiError.badRequest(5, `read by "${idField}" is not supported; use id, email or fid`);
    }
    const rendered = found.map((p) => renderLegacyProspect(this.store, p));
    this.reply(req, res, { prospect: rendered.length === 1 ? rendered[0] : rendered });
  }

  @All('update/:idField/:value')
  update(
    @Param('version') version: string,
    @Param('idField') idField: string,
    @Param('value') value: string,
    @Req() req: PardotRequest,
    @Res() res: PardotResponse,
  ): void {
    this.checkCall(req, version);
    let record: ProspectRecord | undefined;
    if (idField === 'id') record = this.byId(value);
    else if (idField === 'fid') {
      record = this.prospects.byCrmId(value);
      if (!record) throw PardotApiError.badRequest(77);
    } else throw PardotApiError.badRequest(5, `update by "${idField}" is not supported; use id or fid`);
    if (record.isDeleted) throw PardotApiError.badRequest(132);
    const values = this.fieldValues(parameters(req));
    this.prospects.update(record, values);
    this.reply(req, res, { prospect: renderLegacyProspect(this.store, record) });
  }

  /**
   * Up to 50 prospects (error 70 above): an item with `id` (or `fid`) updates that prospect, restoring
   * it from the recycle bin; an item with only `email` creates a new one. Items that fail are listed
   * under `errors`, keyed by their index (or key); the others are saved.
   */
  @All('batchUpsert')
  batchUpsert(
    @Param('version') version: string,
    @Req() req: PardotRequest,
    @Res() res: PardotResponse,
  ): void {
    this.checkCall(req, version);
    const raw = parameters(req)['prospects'];
    if (raw === undefined || raw === '') throw PardotApiError.badRequest(13, 'prospects');
    let parsed: unknown;
    try {
      parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch {
      throw PardotApiError.badRequest(71);
    }
    const list = (parsed as { prospects?: unknown } | null)?.prospects;
    if (typeof list !== 'object' || list === null)
      throw PardotApiError.badRequest(
        71,
        'expected {"prospects":[...]} or {"prospects":{"<id or email>":{...}}}',
      );
    const entries: [string, unknown][] = Array.isArray(list)
      ? list.map((item, i) => [String(i), item])
      : Object.entries(list);
    if (entries.length > MAX_BATCH) throw PardotApiError.badRequest(70);
    const errors: Record<string, string> = {};
    for (const [key, item] of entries) {
      try {
        this.upsertOne(key, item, !Array.isArray(list));
      } catch (error) {
        if (!(error instanceof PardotApiError)) throw error;
        errors[key] = error.message;
      }
    }
    this.reply(req, res, Object.keys(errors).length > 0 ? { errors } : {});
  }

  @All(':operation')
  otherOperation(
    @Param('version') version: string,
    @Param('operation') operation: string,
    @Req() req: PardotRequest,
  ): never {
    this.checkCall(req, version, operation);
    if (KNOWN_OPERATIONS.has(operation)) throw notImplemented(`v${version} prospect ${operation}`);
    throw PardotApiError.badRequest(2);
  }

  @All(':operation/:idField/:value')
  otherOperationWithId(
    @Param('version') version: string,
    @Param('operation') operation: string,
    @Req() req: PardotRequest,
  ): never {
    return this.otherOperation(version, operation, req);
  }

  private upsertOne(key: string, item: unknown, keyed: boolean): void {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw PardotApiError.badRequest(71, 'each prospect must be an object');
    const fields = { ...(item as Record<string, unknown>) };
    let id = fields['id'];
    let email = fields['email'];
    const fid = fields['fid'];
    delete fields['id'];
    delete fields['fid'];
    if (keyed && id === undefined && email === undefined) {
      if (/^\d+$/.test(key)) id = key;
      else if (key.includes('@')) email = key;
    }
    if (email !== undefined) fields['email'] = email;
    const values = this.fieldValues(fields);
    if (id !== undefined && id !== null && id !== '') {
      const record = this.byId(String(id));
      if (record.isDeleted) this.prospects.undelete(record);
      this.prospects.update(record, values);
    } else if (typeof fid === 'string' && fid !== '') {
      const record = this.prospects.byCrmId(fid);
      if (!record) throw PardotApiError.badRequest(77);
      if (record.isDeleted) this.prospects.undelete(record);
      this.prospects.update(record, values);
    } else if (email !== undefined && email !== null && email !== '') {
      if (!isValidEmail(email)) throw PardotApiError.badRequest(4);
      this.prospects.create(values);
    } else {
      throw PardotApiError.badRequest(14);
    }
  }

  private fieldValues(params: Record<string, unknown>): Map<string, ProspectValue> {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(params)) {
      if (CALL_PARAMETERS.has(key)) continue;
      if (/^list_\d+$/.test(key)) throw PardotApiError.badRequest(55, `${key}: the sandbox has no lists`);
      fields[key] = Array.isArray(value) ? value.map(String) : value;
    }
    return validateProspectInput(fields, 'legacy', (id) => this.store.customFieldByFieldId(id));
  }

  private byId(raw: string): ProspectRecord {
    const record = /^\d{1,15}$/.test(raw) ? this.prospects.get(Number(raw)) : undefined;
    if (!record) throw PardotApiError.badRequest(3);
    return record;
  }

  /**
   * The operation's methods (GET or POST; delete: POST or DELETE — apis.md §2.3), else 405 code 60, and
   * the API version this business unit uses (88 / 89).
   */
  private checkCall(req: PardotRequest, version: string, operation?: string): void {
    const methods = (operation !== undefined && OPERATION_METHODS.get(operation)) || ['GET', 'POST'];
    if (!methods.includes(req.method ?? '')) throw new PardotApiError(60, 405);
    if (version !== '3' && version !== '4') throw PardotApiError.badRequest(94);
    if (this.config.PARDOT_AMPSEA && version === '3') throw PardotApiError.badRequest(88);
    if (!this.config.PARDOT_AMPSEA && version === '4') throw PardotApiError.badRequest(89);
  }

  private reply(req: PardotRequest, res: PardotResponse, result: Record<string, unknown>): void {
    sendSandboxResponse(res, legacySuccess(result, wantsJson(req.query, req.body)));
  }
}

/** Query-string and form parameters together (the form wins). */
function parameters(req: PardotRequest): Record<string, unknown> {
  const body =
    typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body)
      ? (req.body as Record<string, unknown>)
      : {};
  return { ...req.query, ...body };
}
