import { Inject, Injectable } from '@nestjs/common';
import { PardotApiError } from '../errors/pardot-api.error.js';
import { SANDBOX_PARDOT_CONFIG, type SandboxPardotConfig } from '../sandbox-pardot.config.js';
import type { ProspectRecord, ProspectValue } from './pardot-records.types.js';
import { PardotStore } from './pardot-store.service.js';

/**
 * Prospect writes shared by v5 and v4: create, update, delete, undelete, and the lookups by email and
 * CRM id. `updatedAt` changes on every write (second precision, as Pardot shows it; a second write to
 * the same prospect within one second moves it one second on, so the change stays visible).
 */
@Injectable()
export class ProspectService {
  constructor(
    private readonly store: PardotStore,
    @Inject(SANDBOX_PARDOT_CONFIG) private readonly config: SandboxPardotConfig,
  ) {}

  get(id: number): ProspectRecord | undefined {
    return this.store.prospects.get(id);
  }

  /** Creates a prospect; without AMPSEA an email already in use is refused (error 9). */
  create(values: ReadonlyMap<string, ProspectValue>, now = new Date()): ProspectRecord {
    const email = values.get('email');
    if (typeof email !== 'string' || email === '') throw PardotApiError.badRequest(153, 'email is required');
    if (!this.config.PARDOT_AMPSEA && this.byEmail(email).length > 0) throw PardotApiError.badRequest(9);
    const at = seconds(now);
    const record: ProspectRecord = {
      id: this.store.newProspectId(),
      values: new Map(values),
      createdAt: at,
      updatedAt: at,
      lastActivityAt: null,
      isDeleted: false,
    };
    this.store.prospects.set(record.id, record);
    return record;
  }

  update(
    record: ProspectRecord,
    values: ReadonlyMap<string, ProspectValue>,
    now = new Date(),
  ): ProspectRecord {
    if (record.isDeleted) throw PardotApiError.badRequest(219);
    const email = values.get('email');
    if (
      !this.config.PARDOT_AMPSEA &&
      typeof email === 'string' &&
      this.byEmail(email).some((p) => p.id !== record.id)
    ) {
      throw PardotApiError.badRequest(9);
    }
    for (const [key, value] of values) record.values.set(key, value);
    this.touch(record, now);
    return record;
  }

  delete(record: ProspectRecord, now = new Date()): void {
    record.isDeleted = true;
    this.touch(record, now);
  }

  undelete(record: ProspectRecord, now = new Date()): void {
    record.isDeleted = false;
    this.touch(record, now);
  }

  /** Prospects with this email (case-insensitive), newest id first. */
  byEmail(email: string, includeDeleted = false): ProspectRecord[] {
    const wanted = email.toLowerCase();
    return [...this.store.prospects.values()]
      .filter(
        (p) =>
          (includeDeleted || !p.isDeleted) && String(p.values.get('email') ?? '').toLowerCase() === wanted,
      )
      .sort((a, b) => b.id - a.id);
  }

  /**
   * The prospect an email designates when several share it: the one with the most recent activity
   * (Pardot's wording for upsertLatestByEmail and external activities), then the most recently updated.
   */
  latestByEmail(email: string, deleted: boolean): ProspectRecord | undefined {
    const candidates = this.byEmail(email, true).filter((p) => p.isDeleted === deleted);
    candidates.sort(
      (a, b) =>
        (b.lastActivityAt?.getTime() ?? -Infinity) - (a.lastActivityAt?.getTime() ?? -Infinity) ||
        b.updatedAt.getTime() - a.updatedAt.getTime() ||
        b.id - a.id,
    );
    return candidates[0];
  }

  /** The prospect synced with this Salesforce Lead or Contact id (v4 `fid`). */
  byCrmId(fid: string): ProspectRecord | undefined {
    for (const p of this.store.prospects.values()) {
      if (
        p.values.get('salesforceLeadId') === fid ||
        p.values.get('salesforceContactId') === fid ||
        p.values.get('salesforceId') === fid
      )
        return p;
    }
    return undefined;
  }

  /** Records an activity time (external activities make a prospect "active"). */
  recordActivity(record: ProspectRecord, at: Date): void {
    if (!record.lastActivityAt || record.lastActivityAt < at) record.lastActivityAt = seconds(at);
  }

  private touch(record: ProspectRecord, now: Date): void {
    const at = seconds(now);
    record.updatedAt = at > record.updatedAt ? at : new Date(record.updatedAt.getTime() + 1000);
  }
}

function seconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
