import { All, Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { PardotAuthGuard } from '../auth/pardot-auth.guard.js';
import { PardotApiError } from '../errors/pardot-api.error.js';
import { baseUrlOf, type PardotRequest, type PardotResponse } from '../http/pardot-request.types.js';
import type { VisitorActivityRecord } from '../store/pardot-records.types.js';
import { PardotStore } from '../store/pardot-store.service.js';
import { PageTokenStore } from './page-token.store.js';
import { pathId } from './v5-body.util.js';
import { v5DateTime } from './v5-format.util.js';
import { parseFields, runV5Query, type V5ObjectSpec } from './v5-query.util.js';
import { methodNotAllowed, replyJson } from './v5-reply.util.js';

const FIELDS = [
  'id',
  'prospectId',
  'visitorId',
  'type',
  'typeName',
  'details',
  'campaignId',
  'campaign.id',
  'campaign.name',
  'emailId',
  'formId',
  'createdAt',
  'updatedAt',
];
const isField = (f: string): boolean => FIELDS.includes(f);

/** v5 visitor activities (read-only; seeded from the world). */
@Controller('api/v5/objects/visitor-activities')
@UseGuards(PardotAuthGuard)
export class VisitorActivitiesV5Controller {
  private readonly spec: V5ObjectSpec<VisitorActivityRecord>;

  constructor(
    private readonly store: PardotStore,
    private readonly tokens: PageTokenStore,
  ) {
    this.spec = {
      resource: 'visitor-activities',
      isSelectable: isField,
      filters: {
        id: { type: 'integer', value: (a) => a.id },
        prospectId: { type: 'integer', value: (a) => a.prospectId },
        visitorId: { type: 'integer', value: (a) => a.visitorId },
        type: { type: 'integer', value: (a) => a.type },
        createdAt: { type: 'datetime', value: (a) => a.createdAt },
        updatedAt: { type: 'datetime', value: (a) => a.updatedAt },
      },
      sortable: {
        id: (a) => a.id,
        createdAt: (a) => a.createdAt.getTime(),
        updatedAt: (a) => a.updatedAt.getTime(),
      },
      render: (a, fields) => this.render(a, fields),
    };
  }

  @Get()
  query(@Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const outcome = runV5Query(
      this.spec,
      this.store.visitorActivities.values(),
      req.query,
      this.tokens,
      `${baseUrlOf(req)}${req.path}`,
    );
    replyJson(res, 200, outcome.page, outcome.warning ? { 'Pardot-Warning': outcome.warning } : {});
  }

  @Get(':id')
  read(@Param('id') id: string, @Req() req: PardotRequest, @Res() res: PardotResponse): void {
    const fields = parseFields(req.query['fields'], isField);
    const activity = this.store.visitorActivities.get(pathId(id));
    if (!activity) throw PardotApiError.notFound(109, `no visitor activity ${id}`);
    replyJson(res, 200, this.render(activity, fields));
  }

  @All()
  collectionMethodNotAllowed(): never {
    throw methodNotAllowed();
  }

  @All(':id')
  recordMethodNotAllowed(): never {
    throw methodNotAllowed();
  }

  private render(a: VisitorActivityRecord, fields: readonly string[]): Record<string, unknown> {
    const campaign = a.campaignId !== null ? this.store.campaigns.get(a.campaignId) : undefined;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.startsWith('campaign.')) {
        const nested = (out['campaign'] ??= {}) as Record<string, unknown>;
        nested[f.slice(9)] = campaign ? (f === 'campaign.id' ? campaign.id : campaign.name) : null;
        continue;
      }
      const all: Record<string, unknown> = {
        id: a.id,
        prospectId: a.prospectId,
        visitorId: a.visitorId,
        type: a.type,
        typeName: a.typeName,
        details: a.details,
        campaignId: a.campaignId,
        emailId: null,
        formId: null,
        createdAt: v5DateTime(a.createdAt),
        updatedAt: v5DateTime(a.updatedAt),
      };
      out[f] = all[f] ?? null;
    }
    return out;
  }
}
