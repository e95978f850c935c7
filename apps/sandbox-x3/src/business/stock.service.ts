import { Injectable } from '@nestjs/common';
import { SeededRandom } from '@pardot-x3/sandbox-kit';
import { X3Store, type X3Folder } from '../store/x3-store.service.js';
import type { X3Record } from '../store/x3-record.types.js';

export interface StockMovement {
  readonly ITMREF: string;
  readonly STOFCY: string;
  /** Signed quantity in stock units: receipts positive, issues negative. */
  readonly QTY: number;
}

/** Stock totals per item and site (ITMMVT): availability, allocation and movements. */
@Injectable()
export class StockService {
  constructor(private readonly store: X3Store) {}

  totals(folder: X3Folder, item: string, site: string): X3Record | undefined {
    return folder.get('ITMMVT', `${item}~${site}`);
  }

  /** Available = PHYSTO − PHYALL − GLOALL (apis.md §3.4); 0 when the item has no stock at the site. */
  available(folder: X3Folder, item: string, site: string): number {
    const t = this.totals(folder, item, site);
    if (!t) return 0;
    return num(t.values['PHYSTO']) - num(t.values['PHYALL']) - num(t.values['GLOALL']);
  }

  /** Allocates (positive) or releases (negative) quantity to orders. */
  allocate(folder: X3Folder, item: string, site: string, qty: number, user: string): void {
    const t = this.totalsOrCreate(folder, item, site, user);
    this.store.update(folder, t, { PHYALL: round(num(t.values['PHYALL']) + qty) }, user);
  }

  /** A validated delivery: stock leaves the site and its allocation is consumed. */
  issueAllocated(folder: X3Folder, item: string, site: string, qty: number, user: string): void {
    const t = this.totalsOrCreate(folder, item, site, user);
    this.store.update(
      folder,
      t,
      {
        PHYSTO: round(Math.max(0, num(t.values['PHYSTO']) - qty)),
        PHYALL: round(Math.max(0, num(t.values['PHYALL']) - qty)),
      },
      user,
    );
  }

  /**
   * Applies movements one by one (each a change of its ITMMVT row, each announced). A movement that
   * would take physical stock below what is allocated is refused, with the reason.
   */
  apply(
    folder: X3Folder,
    movements: readonly StockMovement[],
    user: string,
  ): { applied: number; refused: { index: number; reason: string }[] } {
    const refused: { index: number; reason: string }[] = [];
    let applied = 0;
    movements.forEach((m, index) => {
      if (!folder.get('ITMMASTER', m.ITMREF)) {
        refused.push({ index, reason: `ITMREF ${m.ITMREF} : Record does not exist` });
        return;
      }
      if (!folder.sites.includes(m.STOFCY)) {
        refused.push({ index, reason: `STOFCY ${m.STOFCY} : Record does not exist` });
        return;
      }
      const t = this.totalsOrCreate(folder, m.ITMREF, m.STOFCY, user);
      const physical = num(t.values['PHYSTO']) + m.QTY;
      if (physical < num(t.values['PHYALL']) + num(t.values['GLOALL'])) {
        refused.push({
          index,
          reason: `${m.ITMREF} at ${m.STOFCY}: stock cannot fall below the allocated quantity`,
        });
        return;
      }
      this.store.update(folder, t, { PHYSTO: round(physical) }, user);
      applied += 1;
    });
    return { applied, refused };
  }

  /** `count` deterministic movements over the existing ITMMVT rows (receipts and issues that keep stock ≥ allocation). */
  generate(folder: X3Folder, count: number, seed: number): StockMovement[] {
    const rng = new SeededRandom(seed).fork('stock-movements');
    const rows = [...folder.records.ITMMVT.values()];
    if (rows.length === 0) return [];
    const projected = new Map(
      rows.map((r) => [r.key, num(r.values['PHYSTO']) - num(r.values['PHYALL']) - num(r.values['GLOALL'])]),
    );
    const out: StockMovement[] = [];
    for (let i = 0; i < count; i++) {
      const row = rng.pick(rows);
      const free = projected.get(row.key) ?? 0;
      const qty = free > 0 && rng.chance(0.5) ? -rng.int(1, Math.min(free, 10)) : rng.int(1, 25);
      projected.set(row.key, free + qty);
      out.push({ ITMREF: String(row.values['ITMREF']), STOFCY: String(row.values['STOFCY']), QTY: qty });
    }
    return out;
  }

  private totalsOrCreate(folder: X3Folder, item: string, site: string, user: string): X3Record {
    return (
      this.totals(folder, item, site) ??
      this.store.insert(
        folder,
        'ITMMVT',
        {
          ITMREF: item,
          STOFCY: site,
          PHYSTO: 0,
          CTLSTO: 0,
          REJSTO: 0,
          PHYALL: 0,
          GLOALL: 0,
          ORDSTO: 0,
          SALSTO: 0,
          AVC: 0,
        },
        user,
      )
    );
  }
}

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
