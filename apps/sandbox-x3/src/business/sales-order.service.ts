import { Injectable } from '@nestjs/common';
import { OSTCTL, PROGRESS, X3_CLASSES } from '../catalog/x3-class-catalog.constants.js';
import { X3BusinessError, diagnosis, type X3Diagnosis } from '../errors/x3-http.error.js';
import type { X3Record, X3Value } from '../store/x3-record.types.js';
import { X3Store, type X3Folder } from '../store/x3-store.service.js';
import { StockService, num, round } from './stock.service.js';
import { readWriteInput } from './x3-write-input.util.js';

/** The sandbox's VAT rate to turn ORDNOT (excl. tax) into ORDATI (incl. tax). */
const TAX_RATE = 0.2;
const EDITABLE_AFTER_ENTRY = new Set(['CUSORDREF', 'DEMDLVDAT', 'SHIDAT']);

/**
 * Sales order entry (SORDER $create) with the checks X3 makes: the sold-to customer exists, is active
 * and passes credit control (OSTCTL 3 = Hold blocks; 2 = Check blocks when open orders plus this one
 * exceed OSTAUZ), every product exists and has enough available stock at the shipping site
 * (PHYSTO − PHYALL − GLOALL). All problems are reported together and nothing is saved; an accepted
 * order allocates its quantities. Message texts are the sandbox's (X3's own were not captured).
 */
@Injectable()
export class SalesOrderService {
  constructor(
    private readonly store: X3Store,
    private readonly stock: StockService,
  ) {}

  create(folder: X3Folder, body: unknown, user: string, today = new Date()): X3Record {
    const def = X3_CLASSES.SORDER;
    const input = readWriteInput(def, body, 'create');
    const problems: X3Diagnosis[] = [...input.problems];
    const customerCode = input.values['BPCORD'];
    const customer = typeof customerCode === 'string' ? folder.get('BPCUSTOMER', customerCode) : undefined;
    if (typeof customerCode === 'string' && customerCode !== '' && !customer)
      problems.push(diagnosis(`BPCORD ${customerCode} : Record does not exist`));
    if (customer && customer.values['BPCSTA'] !== 2)
      problems.push(diagnosis(`Customer ${customer.key} is not active`));

    const site = String(input.values['STOFCY'] ?? folder.sites[0] ?? '');
    if (!folder.sites.includes(site)) problems.push(diagnosis(`STOFCY ${site} : Record does not exist`));
    const salesSite = String(input.values['SALFCY'] ?? site);
    if (!folder.sites.includes(salesSite))
      problems.push(diagnosis(`SALFCY ${salesSite} : Record does not exist`));

    const lines = input.lines ?? [];
    if (lines.length === 0) problems.push(diagnosis('SORDERQ: an order needs at least one line'));
    const wanted = new Map<string, number>();
    const priced: Record<string, X3Value>[] = [];
    lines.forEach((line, index) => {
      const itemCode = String(line['ITMREF'] ?? '');
      const qty = num(line['QTY']);
      const item = folder.get('ITMMASTER', itemCode);
      if (itemCode !== '' && !item) problems.push(diagnosis(`ITMREF ${itemCode} : Record does not exist`));
      if (item && item.values['ITMSTA'] !== 1)
        problems.push(diagnosis(`ITMREF ${itemCode}: the product is not active`));
      if (line['QTY'] !== undefined && !(qty > 0))
        problems.push(diagnosis(`SORDERQ[${index}].QTY: the quantity must be greater than 0`));
      if (item && qty > 0) wanted.set(itemCode, (wanted.get(itemCode) ?? 0) + qty);
      const price =
        line['GROPRI'] === undefined || line['GROPRI'] === null
          ? num(item?.values['BASPRI'])
          : num(line['GROPRI']);
      priced.push({
        SOPLIN: (index + 1) * 1000,
        ITMREF: itemCode,
        ITMDES: item ? String(item.values['ITMDES1'] ?? '') : null,
        QTY: qty,
        SAU: item ? String(item.values['SAU'] ?? 'UN') : 'UN',
        GROPRI: price,
        NETPRI: price,
        ALLQTY: qty,
        DLVQTY: 0,
      });
    });
    if (folder.sites.includes(site)) {
      for (const [itemCode, qty] of wanted) {
        const available = this.stock.available(folder, itemCode, site);
        if (qty > available) {
          problems.push(
            diagnosis(
              `ITMREF ${itemCode}: Insufficient stock at site ${site} (available ${round(available)}, requested ${round(qty)})`,
            ),
          );
        }
      }
    }
    const amount = round(priced.reduce((sum, l) => sum + num(l['QTY']) * num(l['GROPRI']), 0));
    if (customer) {
      const control = customer.values['OSTCTL'];
      if (control === OSTCTL.HOLD)
        problems.push(diagnosis(`Customer ${customer.key} is on credit hold: order entry blocked`));
      if (control === OSTCTL.CHECK) {
        const authorised = num(customer.values['OSTAUZ']);
        const outstanding = this.outstanding(folder, customer.key);
        if (outstanding + amount > authorised) {
          problems.push(
            diagnosis(
              `Customer ${customer.key}: authorised credit exceeded (authorised ${authorised}, outstanding ${outstanding}, this order ${amount})`,
            ),
          );
        }
      }
    }
    if (problems.length > 0) throw new X3BusinessError(problems);

    const number = `SO${String(folder.nextOrder++).padStart(7, '0')}`;
    const record = this.store.insert(
      folder,
      'SORDER',
      {
        SOHNUM: number,
        SOHTYP: 'SON',
        SALFCY: salesSite,
        STOFCY: site,
        BPCORD: customer?.key ?? null,
        BPCINV: customer?.key ?? null,
        BPCPYR: customer?.key ?? null,
        CUSORDREF: input.values['CUSORDREF'] ?? null,
        ORDDAT: input.values['ORDDAT'] ?? today.toISOString().slice(0, 10),
        DEMDLVDAT:
          input.values['DEMDLVDAT'] ?? new Date(today.getTime() + 7 * 86_400_000).toISOString().slice(0, 10),
        SHIDAT: input.values['SHIDAT'] ?? null,
        CUR: customer?.values['CUR'] ?? 'EUR',
        ORDNOT: amount,
        ORDATI: round(amount * (1 + TAX_RATE)),
        ORDSTA: 1,
        ALLSTA: PROGRESS.FULLY,
        DLVSTA: PROGRESS.NONE,
        INVSTA: PROGRESS.NONE,
        CDTSTA: 1,
      },
      user,
      priced,
    );
    for (const [itemCode, qty] of wanted) this.stock.allocate(folder, itemCode, site, qty, user);
    return record;
  }

  /** $edit of an order: only the customer reference and the dates; lines are not changed through $edit. */
  edit(folder: X3Folder, order: X3Record, body: unknown, user: string): X3Record {
    const input = readWriteInput(X3_CLASSES.SORDER, body, 'edit');
    const problems = [...input.problems];
    if (input.lines)
      problems.push(diagnosis('SORDERQ: order lines cannot be changed through $edit in the sandbox'));
    for (const name of Object.keys(input.values)) {
      if (!EDITABLE_AFTER_ENTRY.has(name))
        problems.push(diagnosis(`${name}: cannot be modified once the order is entered`));
    }
    if (problems.length > 0) throw new X3BusinessError(problems);
    return this.store.update(folder, order, input.values, user);
  }

  /** Amount of the customer's orders not yet fully delivered. */
  outstanding(folder: X3Folder, customer: string): number {
    let total = 0;
    for (const order of folder.records.SORDER.values()) {
      if (order.values['BPCORD'] !== customer || order.values['ORDSTA'] !== 1) continue;
      for (const line of order.lines ?? [])
        total += (num(line.values['QTY']) - num(line.values['DLVQTY'])) * num(line.values['NETPRI']);
    }
    return round(total);
  }
}
