import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { parseRequest } from '@pardot-x3/service-runtime';
import type { ServerResponse } from 'node:http';
import { seesPersonalData, type Principal } from '@pardot-x3/access';
import { CurrentPrincipal, RequireRole } from '@pardot-x3/service-runtime';
import type { GoldenCustomer } from '@pardot-x3/customer-master';
import { DataSource } from 'typeorm';
import { FieldQuarantineStore } from '../data-quality/field-quarantine.store.js';
import {
  dataQualityView,
  explanationView,
  goldenCustomerView,
  type FieldExplanationView,
  type GoldenCustomerView,
  type QuarantinedFieldView,
  type ViewOptions,
} from './golden-customer.view.js';
import {
  FindGoldenCustomerUseCase,
  type GoldenCustomerLookup,
  type GoldenCustomerQuery,
} from './find-golden-customer.use-case.js';
import {
  bySourceParamsSchema,
  goldenIdParamsSchema,
  lookupRequestSchema,
} from './golden-customers.request-schema.js';

/**
 * The golden customers, for operators and the demo:
 * `GET /golden-customers/:id`, `GET /golden-customers/:id/explanation` (why each field has its value),
 * `GET /golden-customers/by-source/:system/:entity/:id` (any cross-referenced id), and
 * `POST /golden-customers/lookup` with `{"email": …}` (in the body, so emails stay out of access logs).
 * Each answer lists in `dataQuality` the fields its source records carry invalid values in, left out of
 * the sync (field-level quarantine, ADR 0135).
 * A merged id redirects (301) to the golden record that absorbed it. Ids and bodies are checked by
 * `golden-customers.request-schema.ts` (400 naming the problem).
 */
@Controller('golden-customers')
export class GoldenCustomersController {
  constructor(
    private readonly find: FindGoldenCustomerUseCase,
    private readonly quarantine: FieldQuarantineStore,
    private readonly dataSource: DataSource,
  ) {}

  @Get(':goldenId')
  async get(
    @Param('goldenId') goldenId: string,
    @Res({ passthrough: true }) res: ServerResponse,
    @CurrentPrincipal() caller: Principal | undefined,
  ): Promise<GoldenCustomerView | undefined> {
    parseRequest(goldenIdParamsSchema, { goldenId }, 'the golden customer id');
    const lookup = await this.find.execute({ goldenId });
    if (lookup.outcome === 'merged') return redirect(res, `/golden-customers/${lookup.survivorGoldenId}`);
    return this.view(found(lookup), caller);
  }

  @Get(':goldenId/explanation')
  async explain(
    @Param('goldenId') goldenId: string,
    @Res({ passthrough: true }) res: ServerResponse,
    @CurrentPrincipal() caller: Principal | undefined,
  ): Promise<
    | {
        goldenId: string;
        version: number;
        fields: FieldExplanationView[];
        dataQuality: QuarantinedFieldView[];
      }
    | undefined
  > {
    parseRequest(goldenIdParamsSchema, { goldenId }, 'the golden customer id');
    const lookup = await this.find.execute({ goldenId });
    if (lookup.outcome === 'merged')
      return redirect(res, `/golden-customers/${lookup.survivorGoldenId}/explanation`);
    const golden = found(lookup);
    return {
      goldenId: golden.goldenId,
      version: golden.version,
      fields: explanationView(golden, viewOptions(caller)),
      dataQuality: dataQualityView(await this.quarantine.forGolden(this.dataSource.manager, golden.goldenId)),
    };
  }

  @Get('by-source/:system/:entity/:sourceId')
  async bySource(
    @Param('system') system: string,
    @Param('entity') entity: string,
    @Param('sourceId') sourceId: string,
    @CurrentPrincipal() caller: Principal | undefined,
  ): Promise<GoldenCustomerView> {
    const query = parseRequest(bySourceParamsSchema, { system, entity, sourceId }, 'the source record');
    return this.view(found(await this.find.execute(query)), caller);
  }

  /** A read, though a POST (the email stays out of access logs). */
  @Post('lookup')
  @HttpCode(200)
  @RequireRole('viewer')
  async lookup(
    @Body() body: unknown,
    @CurrentPrincipal() caller: Principal | undefined,
  ): Promise<GoldenCustomerView> {
    return this.view(found(await this.find.execute(lookupQuery(body))), caller);
  }

  /** The golden record with its data-quality record (quarantined fields of its source records). */
  private async view(golden: GoldenCustomer, caller: Principal | undefined): Promise<GoldenCustomerView> {
    const quarantined = await this.quarantine.forGolden(this.dataSource.manager, golden.goldenId);
    return goldenCustomerView(golden, viewOptions(caller), quarantined);
  }
}

function viewOptions(caller: Principal | undefined): ViewOptions {
  return { personalData: seesPersonalData(caller?.role) ? 'clear' : 'masked' };
}

function found(lookup: GoldenCustomerLookup) {
  if (lookup.outcome === 'found') return lookup.golden;
  throw new NotFoundException(lookup.outcome === 'not-found' ? lookup.reason : 'merged');
}

function redirect(res: ServerResponse, location: string): undefined {
  res.statusCode = 301;
  res.setHeader('Location', location);
  return undefined;
}

function lookupQuery(body: unknown): GoldenCustomerQuery {
  const request = parseRequest(lookupRequestSchema, body, 'the lookup');
  return 'email' in request
    ? { email: request.email }
    : { system: request.system, entity: request.entity, sourceId: request.id };
}
