import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import {
  explanationView,
  goldenCustomerView,
  type FieldExplanationView,
  type GoldenCustomerView,
} from './golden-customer.view.js';
import {
  FindGoldenCustomerUseCase,
  type GoldenCustomerLookup,
  type GoldenCustomerQuery,
} from './find-golden-customer.use-case.js';

/**
 * The golden customers, for operators and the demo:
 * `GET /golden-customers/:id`, `GET /golden-customers/:id/explanation` (why each field has its value),
 * `GET /golden-customers/by-source/:system/:entity/:id` (any cross-referenced id), and
 * `POST /golden-customers/lookup` with `{"email": …}` (in the body, so emails stay out of access logs).
 * A merged id redirects (301) to the golden record that absorbed it.
 */
@Controller('golden-customers')
export class GoldenCustomersController {
  constructor(private readonly find: FindGoldenCustomerUseCase) {}

  @Get(':goldenId')
  async get(
    @Param('goldenId') goldenId: string,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<GoldenCustomerView | undefined> {
    const lookup = await this.find.execute({ goldenId });
    if (lookup.outcome === 'merged') return redirect(res, `/golden-customers/${lookup.survivorGoldenId}`);
    return goldenCustomerView(found(lookup));
  }

  @Get(':goldenId/explanation')
  async explain(
    @Param('goldenId') goldenId: string,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<{ goldenId: string; version: number; fields: FieldExplanationView[] } | undefined> {
    const lookup = await this.find.execute({ goldenId });
    if (lookup.outcome === 'merged')
      return redirect(res, `/golden-customers/${lookup.survivorGoldenId}/explanation`);
    const golden = found(lookup);
    return { goldenId: golden.goldenId, version: golden.version, fields: explanationView(golden) };
  }

  @Get('by-source/:system/:entity/:sourceId')
  async bySource(
    @Param('system') system: string,
    @Param('entity') entity: string,
    @Param('sourceId') sourceId: string,
  ): Promise<GoldenCustomerView> {
    return goldenCustomerView(found(await this.find.execute({ system, entity, sourceId })));
  }

  @Post('lookup')
  @HttpCode(200)
  async lookup(@Body() body: unknown): Promise<GoldenCustomerView> {
    return goldenCustomerView(found(await this.find.execute(lookupQuery(body))));
  }
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
  const value = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof value['email'] === 'string' && value['email'].trim() !== '') return { email: value['email'] };
  if (
    typeof value['system'] === 'string' &&
    typeof value['entity'] === 'string' &&
    typeof value['id'] === 'string'
  )
    return { system: value['system'], entity: value['entity'], sourceId: value['id'] };
  throw new BadRequestException(
    'give {"email": "…"} or {"system": "SALESFORCE", "entity": "Lead", "id": "00Q…"}',
  );
}
