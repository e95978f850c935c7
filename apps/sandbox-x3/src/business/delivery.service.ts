import { Injectable } from '@nestjs/common';
import { OSTCTL, PROGRESS, YES_NO, X3_CLASSES } from '../catalog/x3-class-catalog.constants.js';
import { X3BusinessError, diagnosis, type X3Diagnosis } from '../errors/x3-http.error.js';
import type { X3Record, X3Value } from '../store/x3-record.types.js';
import { X3Store, type X3Folder } from '../store/x3-store.service.js';
import { StockService, num, round } from './stock.service.js';
import { readWriteInput } from './x3-write-input.util.js';

/**
 * Deliveries (SDELIVERY): created for an order (all that is left to deliver, or the lines given),
 * refused for a customer on credit hold ("Undeliverable Order: Customer Held", apis.md §3.5), and
 * validated by an admin action standing in for the warehouse: stock leaves the site, the order's
 * delivered quantities and statuses move on, and each change is announced.
 */
@Injectable()
export class DeliveryService {
  constructor(
    private readonly store: X3Store,
    private readonly stock: StockService,
  ) {}

  create(folder: X3Folder, body: unknown, user: string, today = new Date()): X3Record {
    const input = readWriteInput(X3_CLASSES.SDELIVERY, body, 'create');
    const problems: X3Diagnosis[] = [...input.problems];
    const orderNumber = input.values['SOHNUM'];
    const order = typeof orderNumber === 'string' ? folder.get('SORDER', orderNumber) : undefined;
    if (typeof orderNumber === 'string' && orderNumber !== '' && !order)
      problems.push(diagnosis(`SOHNUM ${orderNumber} : Record does not exist`));
    if (problems.length > 0 || !order) throw new X3BusinessError(problems);

    const customer = folder.get('BPCUSTOMER', String(order.values['BPCORD']));
    if (customer?.values['OSTCTL'] === OSTCTL.HOLD)
      problems.push(diagnosis('Undeliverable Order: Customer Held'));
    if (order.values['ORDSTA'] !== 1) problems.push(diagnosis(`Order ${order.key} is closed`));

    const remaining = this.remaining(folder, order);
    const requested =
      input.lines ??
      [...remaining.entries()]
        .filter(([, qty]) => qty > 0)
        .map(([line, qty]) => ({ SOPLIN: line, QTY: qty }));
    const lines: Record<string, X3Value>[] = [];
    requested.forEach((line, index) => {
      const lineNumber = num(line['SOPLIN']);
      const orderLine = order.lines?.find((l) => l.values['SOPLIN'] === lineNumber);
      const qty = num(line['QTY']);
      if (!orderLine) {
        problems.push(
          diagnosis(`SDELIVERYD[${index}].SOPLIN ${lineNumber}: no such line on order ${order.key}`),
        );
        return;
      }
      if (!(qty > 0) || qty > (remaining.get(lineNumber) ?? 0)) {
        problems.push(
          diagnosis(
            `SDELIVERYD[${index}].QTY: ${qty} exceeds the quantity left to deliver (${remaining.get(lineNumber) ?? 0})`,
          ),
        );
        return;
      }
      lines.push({
        SDDLIN: (lines.length + 1) * 1000,
        SOPLIN: lineNumber,
        ITMREF: orderLine.values['ITMREF'] ?? null,
        QTY: qty,
      });
    });
    if (lines.length === 0 && problems.length === 0)
      problems.push(diagnosis(`Order ${order.key}: nothing left to deliver`));
    if (problems.length > 0) throw new X3BusinessError(problems);

    const price = (soplin: X3Value | undefined): number =>
      num(order.lines?.find((l) => l.values['SOPLIN'] === soplin)?.values['NETPRI']);
    return this.store.insert(
      folder,
      'SDELIVERY',
      {
        SDHNUM: `SD${String(folder.nextDelivery++).padStart(7, '0')}`,
        SOHNUM: order.key,
        BPCORD: order.values['BPCORD'] ?? null,
        STOFCY: order.values['STOFCY'] ?? null,
        DLVDAT: input.values['DLVDAT'] ?? today.toISOString().slice(0, 10),
        CFMFLG: YES_NO.NO,
        DLVATI: round(lines.reduce((sum, l) => sum + num(l['QTY']) * price(l['SOPLIN']), 0)),
      },
      user,
      lines,
    );
  }

  /** Validates a delivery: CFMFLG 2, stock issued, order line DLVQTY and order DLVSTA/ORDSTA updated. */
  validate(folder: X3Folder, delivery: X3Record, user: string): X3Record {
    if (delivery.values['CFMFLG'] === YES_NO.YES)
      throw new X3BusinessError([diagnosis(`Delivery ${delivery.key} is already validated`)]);
    const order = folder.get('SORDER', String(delivery.values['SOHNUM']));
    if (!order)
      throw new X3BusinessError([
        diagnosis(`SOHNUM ${String(delivery.values['SOHNUM'])} : Record does not exist`),
      ]);
    const site = String(delivery.values['STOFCY']);
    for (const line of delivery.lines ?? [])
      this.stock.issueAllocated(folder, String(line.values['ITMREF']), site, num(line.values['QTY']), user);
    const delivered = new Map<number, number>();
    for (const line of delivery.lines ?? [])
      delivered.set(num(line.values['SOPLIN']), num(line.values['QTY']));
    let fully = true;
    let any = false;
    this.store.update(folder, delivery, { CFMFLG: YES_NO.YES }, user);
    const lineTotals = (order.lines ?? []).map((l) => {
      const now = num(l.values['DLVQTY']) + (delivered.get(num(l.values['SOPLIN'])) ?? 0);
      if (now < num(l.values['QTY'])) fully = false;
      if (now > 0) any = true;
      return now;
    });
    this.store.update(
      folder,
      order,
      {
        DLVSTA: fully ? PROGRESS.FULLY : any ? PROGRESS.PARTLY : PROGRESS.NONE,
        ORDSTA: fully ? 2 : 1,
        SHIDAT: String(delivery.values['DLVDAT'] ?? '') || null,
      },
      user,
      new Date(),
      (lines) =>
        lines.forEach((l, i) => {
          l.values['DLVQTY'] = round(lineTotals[i] ?? 0);
          l.values['ALLQTY'] = round(Math.max(0, num(l.values['QTY']) - (lineTotals[i] ?? 0)));
        }),
    );
    return delivery;
  }

  /** Quantity per order line not yet delivered nor in a delivery awaiting validation. */
  private remaining(folder: X3Folder, order: X3Record): Map<number, number> {
    const left = new Map<number, number>();
    for (const l of order.lines ?? [])
      left.set(num(l.values['SOPLIN']), num(l.values['QTY']) - num(l.values['DLVQTY']));
    for (const d of folder.records.SDELIVERY.values()) {
      if (d.values['SOHNUM'] !== order.key || d.values['CFMFLG'] === YES_NO.YES) continue;
      for (const l of d.lines ?? [])
        left.set(num(l.values['SOPLIN']), (left.get(num(l.values['SOPLIN'])) ?? 0) - num(l.values['QTY']));
    }
    return left;
  }
}
