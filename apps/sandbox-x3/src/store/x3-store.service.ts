import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SeededRandom, generateWorld, type ResolvedWorldCounts, type World } from '@pardot-x3/sandbox-kit';
import {
  OSTCTL,
  X3_CLASSES,
  X3_CLASS_NAMES,
  type X3ClassName,
} from '../catalog/x3-class-catalog.constants.js';
import { SANDBOX_X3_CONFIG, type SandboxX3Config } from '../sandbox-x3.config.js';
import type { X3Change, X3Line, X3Record, X3Value } from './x3-record.types.js';

/** The user recorded in CREUSR/UPDUSR for changes made by the sandbox itself (seed, admin actions). */
export const SYSTEM_USER = 'ADMIN';

/** One X3 folder's data. */
export class X3Folder {
  readonly records: Record<X3ClassName, Map<string, X3Record>>;
  sites: string[] = [];
  nextOrder = 1;
  nextDelivery = 1;
  nextCustomer = 1;

  constructor(readonly name: string) {
    this.records = Object.fromEntries(X3_CLASS_NAMES.map((c) => [c, new Map<string, X3Record>()])) as Record<
      X3ClassName,
      Map<string, X3Record>
    >;
  }

  get(className: X3ClassName, key: string): X3Record | undefined {
    return this.records[className].get(key);
  }
}

/** X3 datetimes: UTC, second precision, e.g. 2026-11-26T10:15:00Z. */
export function x3DateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The data of every folder, in memory, loaded from the seeded world: companies as customers
 * (BPCUSTOMER), products (ITMMASTER) and stock per product and site (ITMMVT). Every change sets
 * UPDDATTIM (later than the previous value, second precision), increments UPDTICK and is announced to
 * the change listeners (the webhook emitter).
 */
@Injectable()
export class X3Store {
  private readonly folders = new Map<string, X3Folder>();
  private readonly listeners = new Set<(change: X3Change) => void>();
  private seededWith: { seed: number; counts: ResolvedWorldCounts };

  constructor(@Inject(SANDBOX_X3_CONFIG) private readonly config: SandboxX3Config) {
    this.seededWith = { seed: config.SANDBOX_SEED, counts: config.SANDBOX_SEED_COUNTS };
    this.seed(config.SANDBOX_SEED, config.SANDBOX_SEED_COUNTS);
  }

  folder(name: string): X3Folder | undefined {
    return this.folders.get(name);
  }

  folderNames(): string[] {
    return [...this.folders.keys()];
  }

  seed(seed: number, counts: ResolvedWorldCounts): void {
    this.seededWith = { seed, counts };
    const world = generateWorld(seed, counts);
    this.folders.clear();
    for (const name of this.config.X3_FOLDERS)
      this.folders.set(name, this.load(name, world, new SeededRandom(seed).fork(`x3-uuids-${name}`)));
  }

  reset(): void {
    this.seed(this.config.SANDBOX_SEED, this.config.SANDBOX_SEED_COUNTS);
  }

  get seededFrom(): { seed: number; counts: ResolvedWorldCounts } {
    return this.seededWith;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (change: X3Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  insert(
    folder: X3Folder,
    className: X3ClassName,
    values: Record<string, X3Value>,
    user: string,
    lines?: Record<string, X3Value>[],
    now = new Date(),
  ): X3Record {
    const at = x3DateTime(now);
    const key = X3_CLASSES[className].keyFields.map((k) => String(values[k] ?? '')).join('~');
    const record: X3Record = {
      className,
      uuid: randomUUID(),
      key,
      values: { ...values, CREDATTIM: at, UPDDATTIM: at, UPDTICK: 1, CREUSR: user, UPDUSR: user },
      ...(lines ? { lines: lines.map((l) => ({ uuid: randomUUID(), values: { ...l } })) } : {}),
    };
    folder.records[className].set(key, record);
    this.emit(folder, record, 'CREATE', now);
    return record;
  }

  /** Applies changes to a record (and optionally replaces line values), stamping and announcing it. */
  update(
    folder: X3Folder,
    record: X3Record,
    changes: Record<string, X3Value>,
    user: string,
    now = new Date(),
    lineChanges?: (lines: X3Line[]) => void,
  ): X3Record {
    Object.assign(record.values, changes);
    if (lineChanges && record.lines) lineChanges(record.lines);
    const previous = Date.parse(String(record.values['UPDDATTIM'] ?? '')) || 0;
    const at = Math.max(Math.floor(now.getTime() / 1000) * 1000, previous + 1000);
    record.values['UPDDATTIM'] = x3DateTime(new Date(at));
    record.values['UPDTICK'] = Number(record.values['UPDTICK'] ?? 0) + 1;
    record.values['UPDUSR'] = user;
    this.emit(folder, record, 'UPDATE', now);
    return record;
  }

  summary(): Record<string, unknown> {
    return {
      seed: this.seededWith.seed,
      counts: this.seededWith.counts,
      folders: Object.fromEntries(
        [...this.folders.values()].map((f) => [
          f.name,
          { sites: f.sites, ...Object.fromEntries(X3_CLASS_NAMES.map((c) => [c, f.records[c].size])) },
        ]),
      ),
    };
  }

  private emit(
    folder: X3Folder,
    record: X3Record,
    changeType: X3Change['changeType'],
    occurredAt: Date,
  ): void {
    if (!X3_CLASSES[record.className].notifies) return;
    for (const listener of this.listeners)
      listener({
        folder: folder.name,
        className: record.className,
        key: record.key,
        changeType,
        record,
        occurredAt,
      });
  }

  private load(name: string, world: World, rng: SeededRandom): X3Folder {
    const folder = new X3Folder(name);
    folder.sites = world.sites.map((s) => s.code);
    const firstContact = new Map<string, World['people'][number]>();
    for (const p of world.people)
      if (p.companyKey && !firstContact.has(p.companyKey)) firstContact.set(p.companyKey, p);
    const seeded = (className: X3ClassName, values: Record<string, X3Value>, at: string): void => {
      const key = X3_CLASSES[className].keyFields.map((k) => String(values[k] ?? '')).join('~');
      const stamp = `${at.slice(0, 19)}Z`;
      folder.records[className].set(key, {
        className,
        uuid: rng.uuid(),
        key,
        values: {
          ...values,
          CREDATTIM: stamp,
          UPDDATTIM: stamp,
          UPDTICK: 1,
          CREUSR: SYSTEM_USER,
          UPDUSR: SYSTEM_USER,
        },
      });
    };
    for (const c of world.companies) {
      const contact = firstContact.get(c.key);
      seeded(
        'BPCUSTOMER',
        {
          BPCNUM: c.customerCode,
          BPCNAM: c.name,
          BPCSHO: c.name
            .toUpperCase()
            .replace(/[^A-Z0-9]/g, '')
            .slice(0, 10),
          BCGCOD: 'STD',
          CUR: c.currency,
          PTE: '30NET',
          VACBPR: c.address.country,
          OSTAUZ: c.creditLimit,
          OSTCTL: c.creditHold ? OSTCTL.HOLD : OSTCTL.CHECK,
          BPCSTA: 2,
          BPAADD: 'MAIN',
          CNTNAM: contact ? `${contact.firstName} ${contact.lastName}` : null,
          WEB: contact?.email ?? null,
          TEL: c.phone,
          ADDLIG1: c.address.street,
          POSCOD: c.address.postcode,
          CTY: c.address.city,
          CRY: c.address.country,
        },
        c.createdAt,
      );
    }
    folder.nextCustomer = world.companies.length + 1;
    for (const p of world.products) {
      seeded(
        'ITMMASTER',
        {
          ITMREF: p.code,
          ITMDES1: p.name,
          ITMDES2: p.family,
          TCLCOD: p.code.slice(0, 3),
          ITMSTA: 1,
          STU: p.unit,
          SAU: p.unit,
          PUU: p.unit,
          SAUSTUCOE: 1,
          EANCOD: p.ean,
          ITMWEI: p.weightKg,
          BASPRI: p.price,
        },
        p.createdAt,
      );
    }
    const prices = new Map(world.products.map((p) => [p.code, p.price]));
    for (const s of world.stock) {
      seeded(
        'ITMMVT',
        {
          ITMREF: s.productCode,
          STOFCY: s.site,
          PHYSTO: s.onHand,
          CTLSTO: 0,
          REJSTO: 0,
          PHYALL: s.allocated,
          GLOALL: 0,
          ORDSTO: 0,
          SALSTO: 0,
          AVC: Math.round((prices.get(s.productCode) ?? 0) * 60) / 100,
        },
        world.referenceDate,
      );
    }
    return folder;
  }
}
