import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { parseRequest } from '@pardot-x3/service-runtime';
import type { ServerResponse } from 'node:http';
import { seesPersonalData, type Principal } from '@pardot-x3/access';
import { CurrentPrincipal, RequireRole } from '@pardot-x3/service-runtime';
import {
  explanationView,
  goldenCustomerView,
  type FieldExplanationView,
  type GoldenCustomerView,
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
 * A merged id redirects (301) to the golden record that absorbed it. Ids and bodies are checked by
 * `golden-customers.request-schema.ts` (400 naming the problem).
 */
@Controller('golden-customers')
export class GoldenCustomersController {
  constructor(private readonly find: FindGoldenCustomerUseCase) {}

  @Get(':goldenId')
  async get(
    @Param('goldenId') goldenId: string,
    @Res({ passthrough: true }) res: ServerResponse,
    @CurrentPrincipal() caller: Principal | undefined,
  ): Promise<GoldenCustomerView | undefined> {
    parseRequest(goldenIdParamsSchema, { goldenId }, 'the golden customer id');
    const lookup = await this.find.execute({ goldenId });
    if (lookup.outcome === 'merged') return redirect(res, `/golden-customers/${lookup.survivorGoldenId}`);
    return goldenCustomerView(found(lookup), viewOptions(caller));
  }

  @Get(':goldenId/explanation')
  async explain(
    @Param('goldenId') goldenId: string,
    @Res({ passthrough: true }) res: ServerResponse,
    @CurrentPrincipal() caller: Principal | undefined,
  ): Promise<{ goldenId: string; version: number; fields: FieldExplanationView[] } | undefined> {
    parseRequest(goldenIdParamsSchema, { goldenId }, 'the golden customer id');
    const lookup = await this.find.execute({ goldenId });
    if (lookup.outcome === 'merged')
      return redirect(res, `/golden-customers/${lookup.survivorGoldenId}/explanation`);
    const golden = found(lookup);
    return {
      goldenId: golden.goldenId,
      version: golden.version,
      fields: explanationView(golden, viewOptions(caller)),
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
    return goldenCustomerView(found(await this.find.execute(query)), viewOptions(caller));
  }

  /** A read, though a POST (the email stays out of access logs). */
  @Post('lookup')
  @HttpCode(200)
  @RequireRole('viewer')
  async lookup(
    @Body() body: unknown,
    @CurrentPrincipal() caller: Principal | undefined,
  ): Promise<GoldenCustomerView> {
    return goldenCustomerView(found(await this.find.execute(lookupQuery(body))), viewOptions(caller));
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
