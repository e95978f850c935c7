import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import type { BackfillSalesforceWindowUseCase } from './backfill-salesforce-window.use-case.js';
import { SalesforceBackfillController } from './salesforce-backfill.controller.js';

/**
 * `POST /salesforce/backfill` spends the Salesforce API budget: parameters that make no sense are a
 * 400 naming the problem (issue 11) — before, year 10000, `until` before `since` and `objects` that was
 * not a list were accepted with 202 and a job started.
 */

/** The windows the use case was asked to read (none for a refused request). */
function controller(): { controller: SalesforceBackfillController; windows: unknown[] } {
  const windows: unknown[] = [];
  const useCase = {
    execute: (window: unknown) => {
      windows.push(window);
      return Promise.resolve(0);
    },
  } as unknown as BackfillSalesforceWindowUseCase;
  const config = { SALESFORCE_SOURCE_OBJECTS: ['Lead', 'Contact'] } as unknown as SalesforceIngestConfig;
  return { controller: new SalesforceBackfillController(useCase, config), windows };
}

function refusal(body: unknown): string {
  const { controller: c, windows } = controller();
  try {
    c.start(body);
  } catch (error) {
    expect(windows).toEqual([]);
    if (error instanceof BadRequestException)
      return String((error.getResponse() as { message: unknown }).message);
    throw error;
  }
  throw new Error(`expected a 400 for ${JSON.stringify(body)}`);
}

describe('POST /salesforce/backfill refuses parameters that make no sense', () => {
  it('starts a job for a sane window, with the configured objects by default', () => {
    const { controller: c, windows } = controller();
    const job = c.start({ since: '2026-11-01T00:00:00Z', until: '2026-11-02T00:00:00+01:00' });
    expect(job).toMatchObject({
      status: 'running',
      objects: ['Lead', 'Contact'],
      since: '2026-11-01T00:00:00.000Z',
    });
    expect(windows).toHaveLength(1);
    expect(c.start({ since: '2000-01-01T00:00:00Z', objects: ['Opportunity'] }).objects).toEqual([
      'Opportunity',
    ]);
  });

  it('objects must be a non-empty list of distinct known objects', () => {
    expect(refusal({ since: '2026-11-01T00:00:00Z', objects: 'Lead' })).toContain('objects: must be a list');
    expect(refusal({ since: '2026-11-01T00:00:00Z', objects: {} })).toContain('objects: must be a list');
    expect(refusal({ since: '2026-11-01T00:00:00Z', objects: [] })).toContain(
      'objects: must name at least one',
    );
    expect(refusal({ since: '2026-11-01T00:00:00Z', objects: ['Lead', 'Case'] })).toContain(
      'objects.1: must be one of',
    );
    expect(refusal({ since: '2026-11-01T00:00:00Z', objects: ['Lead', 'Lead'] })).toContain('twice');
  });

  it('dates must be ISO-8601 date-times in a sane range, until not before since', () => {
    expect(refusal({ since: '+010000-01-01T00:00:00Z' })).toContain('since: must be an ISO-8601 date-time');
    expect(refusal({ since: '9999-01-01T00:00:00Z' })).toContain('since: must be between 1999-01-01');
    expect(refusal({ since: '1970-01-01T00:00:00Z' })).toContain('since: must be between 1999-01-01');
    expect(refusal({ since: '2026-11-02T00:00:00Z', until: '2026-11-01T00:00:00Z' })).toContain(
      'until: must not be before since',
    );
    expect(refusal({ since: '2026-11-01T00:00:00Z', until: '3026-11-01T00:00:00Z' })).toContain(
      'until: must not be more than a day ahead',
    );
    expect(refusal({ since: 'yesterday' })).toContain('since: must be an ISO-8601 date-time');
    expect(refusal({ since: 1764547200000 })).toContain('since: ');
    expect(refusal({})).toContain('since: ');
  });

  it('the body must be an object with no other keys', () => {
    expect(refusal(null)).toMatch(/^the backfill request is not valid: /);
    expect(refusal(['since'])).toMatch(/^the backfill request is not valid: /);
    expect(refusal({ since: '2026-11-01T00:00:00Z', sinse: 'x' })).toContain('sinse');
  });
});
