import { All, Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { PardotAuthGuard } from '../auth/pardot-auth.guard.js';
import { PardotApiError } from '../errors/pardot-api.error.js';
import { baseUrlOf, type PardotRequest, type PardotResponse } from '../http/pardot-request.types.js';
import type { ExternalActivityRecord } from '../store/pardot-records.types.js';
import { PardotStore } from '../store/pardot-store.service.js';
import { ProspectService } from '../store/prospect.service.js';
import { isValidEmail } from '../store/prospect-values.util.js';
import { PageTokenStore } from './page-token.store.js';
import { jsonObjectBody, pathId } from './v5-body.util.js';
import { parseV5DateTime, v5DateTime } from './v5-format.util.js';
import { parseFields, runV5Query, type V5ObjectSpec } from './v5-query.util.js';
import { methodNotAllowed, optionalFields, replyJson, replyWithFields } from './v5-reply.util.js';

const FIELDS = [
  'id',
  'extension',
  'type',
  'value',
  'email',
  'prospectId',
  'activityDate',
  'createdAt',
  'updatedAt',
];
const PROPERTIES = new Set(['extension', 'type', 'value', 'email', 'activityDate']);
const isField = (f: string): boolean => FIELDS.includes(f);
const MAX_VALUE_LENGTH = 100;

function render(a: ExternalActivityRecord, fields: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: a.id,
    extension: a.extension,
    type: a.type,
    value: a.value,
    email: a.email,
    prospectId: a.prospectId,
    activityDate: v5DateTime(a.activityDate),
    createdAt: v5DateTime(a.createdAt),
    updatedAt: v5DateTime(a.updatedAt),
  };
  return Object.fromEntries(fields.map((f) => [f, all[f] ?? null]));
}

const SPEC: V5ObjectSpec<ExternalActivityRecord> = {
  resource: 'external-activities',
  isSelectable: isField,
  filters: {
    id: { type: 'integer', value: (a) => a.id },
    prospectId: { type: 'integer', value: (a) => a.prospectId },
    createdAt: { type: 'datetime', value: (a) => a.createdAt },
    activityDate: { type: 'datetime', value: (a) => a.activityDate },
  },
  sortable: {
    id: (a) => a.id,
    createdAt: (a) => a.createdAt.getTime(),
    activityDate: (a) => a.activityDate.getTime(),
  },
  render,
};

/**
 * v5 external activities. A submission is accepted only for an extension and activity type that are
 * registered, active and assigned to this business unit (the Tooling API setup, done here through
 * POST /__admin/pardot/external-activity-types); it lands on the prospect with that email that was
 * active most recently, and shows in GET /external-activities?prospectId=….
 */
@Controller('api/v5/external-activities')
@UseGuards(PardotAuthGuard)
export class ExternalActivitiesV5Controller {
  constructor(
    private readonly store: PardotStore,
    private readonly prospects: ProspectService,
    private readonly tokens: PageTokenStore,
  ) {}

  @Post()
  create(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = optionalFields(req.query, isField);
    const body = jsonObjectBody(req);
    const unknown = Object.keys(body).filter((k) => !PROPERTIES.has(k));
    if (unknown.length > 0)
      throw PardotApiError.badRequest(
        154,
        `unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`,
      );
    const missing = ['extension', 'type', 'value', 'email'].filter(
      (k) => body[k] === undefined || body[k] === null || body[k] === '',
    );
    if (missing.length > 0) throw PardotApiError.badRequest(153, missing.join(', '));
    const { extension, type, value, email, activityDate } = body;
    if (typeof extension !== 'string' || typeof type !== 'string')
      throw PardotApiError.badRequest(154, 'extension and type must be strings');
    if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH)
      throw PardotApiError.badRequest(
        154,
        `value must be a string of at most ${MAX_VALUE_LENGTH} characters`,
      );
    if (!isValidEmail(email)) throw new PardotApiError(4, 400, 'email is not a valid email address');
    let when = new Date();
    if (activityDate !== undefined) {
      const parsed =
        typeof activityDate === 'string' &&
        /[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(activityDate)
          ? parseV5DateTime(activityDate)
          : undefined;
      if (!parsed)
        throw PardotApiError.badRequest(
          154,
          'activityDate must be ISO 8601 with an offset, e.g. 2026-11-26T10:00:00+00:00',
        );
      when = parsed;
    }

    const registered = this.store.externalActivityType(extension, type);
    if (!this.store.hasExtension(extension))
      throw PardotApiError.badRequest(154, `extension "${extension}" is not registered`);
    if (!registered)
      throw PardotApiError.badRequest(
        154,
        `type "${type}" is not a registered activity type of extension "${extension}"`,
      );
    if (registered.businessUnitId !== req.pardotCaller?.businessUnitId)
      throw PardotApiError.badRequest(154, `extension "${extension}" is not assigned to this business unit`);
    if (!registered.extensionActive)
      throw PardotApiError.badRequest(154, `extension "${extension}" is not active`);
    if (!registered.active)
      throw PardotApiError.badRequest(154, `activity type "${type}" is not active in automations`);

    const prospect = this.prospects.latestByEmail(email, false);
    if (!prospect) throw new PardotApiError(4, 400, `no prospect has the email ${email}`);
    const now = new Date();
    const record: ExternalActivityRecord = {
      id: this.store.newExternalActivityId(),
      extension,
      type,
      value,
      email,
      prospectId: prospect.id,
      activityDate: new Date(Math.floor(when.getTime() / 1000) * 1000),
      createdAt: now,
      updatedAt: now,
    };
    this.store.externalActivities.set(record.id, record);
    this.prospects.recordActivity(prospect, record.activityDate);
    replyWithFields(res, 201, fields, (f) => render(record, f), {
      Location: `${baseUrlOf(req)}/api/v5/external-activities/${record.id}`,
    });
  }

  @Get()
  query(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const outcome = runV5Query(
      SPEC,
      this.store.externalActivities.values(),
      req.query,
      this.tokens,
      `${baseUrlOf(req)}${req.path}`,
    );
    replyJson(res, 200, outcome.page);
  }

  @Get(':id')
  read(@Param('id') id: string, @Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = parseFields(req.query['fields'], isField);
    const activity = this.store.externalActivities.get(pathId(id));
    if (!activity) throw PardotApiError.notFound(109, `no external activity ${id}`);
    replyJson(res, 200, render(activity, fields));
  }

  @All()
  collectionMethodNotAllowed(): never {
    throw methodNotAllowed();
  }

  @All(':id')
  recordMethodNotAllowed(): never {
    throw methodNotAllowed();
  }
}
