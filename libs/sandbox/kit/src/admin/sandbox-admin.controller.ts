import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { FaultInjector } from '../faults/fault-injector.service.js';
import type { FaultRule, FaultRuleInput } from '../faults/fault-rule.types.js';
import { resolveWorldCounts } from '../generator/world-generator.util.js';
import type { ResolvedWorldCounts, WorldCounts } from '../generator/world.types.js';
import type { LedgerEntry } from '../ledger/ledger.types.js';
import { WriteLedger } from '../ledger/write-ledger.service.js';
import { RequestLog, type RequestLogEntry } from '../requests/request-log.service.js';
import { AdminExceptionFilter, AdminRequestError } from './admin-exception.filter.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { SANDBOX_ADMIN_OPTIONS, SANDBOX_ADMIN_PATH } from './sandbox-admin.constants.js';
import type { SandboxAdminOptions } from './sandbox-admin.options.js';

/** The admin API every sandbox shares, under /__admin, behind the X-Admin-Token header. */
@Controller(SANDBOX_ADMIN_PATH)
@UseGuards(AdminTokenGuard)
@UseFilters(AdminExceptionFilter)
export class SandboxAdminController {
  constructor(
    @Inject(SANDBOX_ADMIN_OPTIONS) private readonly options: SandboxAdminOptions,
    private readonly ledger: WriteLedger,
    private readonly faults: FaultInjector,
    private readonly requests: RequestLog,
  ) {}

  @Get()
  index(): { system: string; endpoints: string[] } {
    return {
      system: this.options.system,
      endpoints: [
        'GET /__admin/state',
        'POST /__admin/seed {"seed":42,"counts":{...}}',
        'POST /__admin/reset',
        'GET|POST /__admin/faults',
        'DELETE /__admin/faults/:id',
        'DELETE /__admin/faults',
        'GET /__admin/ledger?since=&route=&method=&limit=',
        'DELETE /__admin/ledger',
        'GET /__admin/requests?limit=',
        `/__admin/${this.options.system}/… (system-specific)`,
      ],
    };
  }

  @Get('state')
  state(): {
    system: string;
    state: unknown;
    ledger: { size: number; lastSeq: number; dropped: number };
    faults: number;
  } {
    return {
      system: this.options.system,
      state: this.options.state?.() ?? null,
      ledger: { size: this.ledger.size, lastSeq: this.ledger.lastSeq, dropped: this.ledger.dropped },
      faults: this.faults.list().length,
    };
  }

  @Post('seed')
  @HttpCode(200)
  async seed(
    @Body() body: unknown,
  ): Promise<{ seeded: true; seed: number; counts: ResolvedWorldCounts; state: unknown }> {
    const { seed, counts } = parseSeedRequest(body);
    const resolved = resolveWorldCounts(counts);
    await this.options.seed(seed, resolved);
    return { seeded: true, seed, counts: resolved, state: this.options.state?.() ?? null };
  }

  @Post('reset')
  @HttpCode(200)
  async reset(): Promise<{ reset: true; state: unknown }> {
    await this.options.reset();
    this.ledger.clear();
    this.faults.clear();
    this.requests.clear();
    return { reset: true, state: this.options.state?.() ?? null };
  }

  @Get('faults')
  listFaults(): { faults: FaultRule[] } {
    return { faults: this.faults.list() };
  }

  /** One rule object, or an array of them (all validated before any is added). */
  @Post('faults')
  @HttpCode(201)
  addFaults(@Body() body: unknown): { faults: FaultRule[] } {
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new AdminRequestError(
        'send a fault rule as a JSON object (or an array of them), e.g. {"route":"POST /api/*","status":503}',
      );
    }
    const inputs = (Array.isArray(body) ? body : [body]) as FaultRuleInput[];
    const trial = new FaultInjector();
    for (const input of inputs) trial.add(input);
    return { faults: inputs.map((input) => this.faults.add(input)) };
  }

  @Delete('faults/:id')
  @HttpCode(204)
  removeFault(@Param('id') id: string): void {
    if (!this.faults.remove(id)) throw new NotFoundException(`no fault rule with id "${id}"`);
  }

  @Delete('faults')
  @HttpCode(200)
  clearFaults(): { removed: number } {
    return { removed: this.faults.clear() };
  }

  @Get('ledger')
  listLedger(
    @Query('since') since?: string,
    @Query('route') route?: string,
    @Query('method') method?: string,
    @Query('limit') limit?: string,
  ): { entries: LedgerEntry[]; lastSeq: number; dropped: number } {
    const entries = this.ledger.list({
      since: optionalInteger('since', since),
      route: route || undefined,
      method: method || undefined,
      limit: optionalInteger('limit', limit),
    });
    return { entries, lastSeq: this.ledger.lastSeq, dropped: this.ledger.dropped };
  }

  @Delete('ledger')
  @HttpCode(204)
  clearLedger(): void {
    this.ledger.clear();
  }

  @Get('requests')
  listRequests(@Query('limit') limit?: string): { requests: RequestLogEntry[] } {
    return { requests: this.requests.list(optionalInteger('limit', limit)) };
  }
}

function parseSeedRequest(body: unknown): { seed: number; counts: WorldCounts } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AdminRequestError('send {"seed": <whole number>, "counts": {...}} as JSON');
  }
  const { seed, counts } = body as { seed?: unknown; counts?: unknown };
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 4_294_967_295) {
    throw new AdminRequestError('seed must be a whole number from 0 to 4294967295');
  }
  if (counts !== undefined && (typeof counts !== 'object' || counts === null || Array.isArray(counts))) {
    throw new AdminRequestError('counts must be an object such as {"companies":20,"products":30}');
  }
  return { seed, counts: (counts ?? {}) as WorldCounts };
}

function optionalInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new AdminRequestError(`${name} must be a whole number, got "${raw}"`);
  return value;
}
