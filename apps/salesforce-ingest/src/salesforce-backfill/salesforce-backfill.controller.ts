import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import type { SalesforceSourceObject } from '@pardot-x3/ingestion';
import { parseRequest, SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { randomUUID } from 'node:crypto';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { BackfillSalesforceWindowUseCase } from './backfill-salesforce-window.use-case.js';
import { backfillRequestSchema, type BackfillWindow } from './salesforce-backfill.request-schema.js';

export interface BackfillJob {
  readonly id: string;
  readonly objects: readonly SalesforceSourceObject[];
  readonly since: string;
  readonly until: string;
  status: 'running' | 'done' | 'failed';
  published: number;
  error?: string;
}

/** Jobs kept for `GET` (the newest ones). */
const KEPT_JOBS = 50;

/**
 * The SOQL backfill of a time window: `POST /salesforce/backfill` with
 * `{"since": "2026-11-01T00:00:00Z", "until"?: …, "objects"?: ["Contact", …]}` answers 202 with a job
 * id; `GET /salesforce/backfill/:id` says how far it is. A body the request schema refuses
 * (`salesforce-backfill.request-schema.ts`) answers 400 naming each problem.
 */
@Controller('salesforce/backfill')
export class SalesforceBackfillController {
  private readonly logger = new Logger(SalesforceBackfillController.name);
  private readonly jobs = new Map<string, BackfillJob>();

  constructor(
    private readonly backfill: BackfillSalesforceWindowUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  @Post()
  @HttpCode(202)
  start(@Body() body: unknown): BackfillJob {
    const window = this.parse(body);
    const job: BackfillJob = {
      id: randomUUID(),
      objects: window.objects,
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      status: 'running',
      published: 0,
    };
    this.jobs.set(job.id, job);
    for (const old of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEPT_JOBS)))
      this.jobs.delete(old);
    this.backfill
      .execute(window, (published) => (job.published = published))
      .then((published) => {
        job.published = published;
        job.status = 'done';
      })
      .catch((error: unknown) => {
        job.status = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        this.logger.error({ err: error, jobId: job.id }, 'Salesforce backfill failed');
      });
    return job;
  }

  @Get(':id')
  status(@Param('id') id: string): BackfillJob {
    const job = this.jobs.get(id);
    if (!job) throw new NotFoundException(`there is no backfill job ${id}`);
    return job;
  }

  private parse(body: unknown): BackfillWindow {
    const request = parseRequest(backfillRequestSchema(), body, 'the backfill request');
    return {
      objects: request.objects ?? [...this.config.SALESFORCE_SOURCE_OBJECTS],
      since: request.since,
      until: request.until ?? new Date(),
    };
  }
}
