import { describe, expect, it } from 'vitest';
import { InvalidSourceRecordError } from '../source-record/invalid-source-record.error.js';
import { isNewerSourceVersion, sourceVersionIdentity } from '../source-record/source-version.js';
import { isX3OwnUpdate, parseX3Notification } from './x3-notification.js';
import { x3CustomerTurnover } from './x3-customer-turnover.js';
import { x3SourceChange } from './x3-source-change.js';

const customer = {
  $uuid: '6bc5644d-0000-4000-8000-000000000001',
  $etag: '2026-11-26T10:15:00Z',
  BPCNUM: 'C00001',
  BPCNAM: 'Acme Industrie',
  BPAADDLIG: ['12 rue de la Paix', 'Bâtiment B', ''],
  WEB: null,
  OSTCTL: 2,
  UPDDATTIM: '2026-11-26T10:15:00Z',
  UPDTICK: 7,
  UPDUSR: 'ERPUSER',
};

describe('x3SourceChange', () => {
  it('carries the record by X3 property names, lists as dotted paths a template reads back', () => {
    const { change, version } = x3SourceChange({
      className: 'BPCUSTOMER',
      record: customer,
      via: 'WEBHOOK',
      folder: 'SEED',
      kind: 'UPDATE',
    });
    expect(change).toMatchObject({
      system: 'X3',
      sourceInstance: 'SEED',
      entity: 'BPCUSTOMER',
      recordId: 'C00001',
      changeType: 'UPDATED',
      changedAt: new Date('2026-11-26T10:15:00Z'),
      via: 'WEBHOOK',
      origin: 'ERPUSER',
    });
    expect(change.fields).not.toHaveProperty('$uuid');
    expect(change.fields['WEB']).toBeNull();
    expect(change.fields['BPAADDLIG.1']).toBe('Bâtiment B');
    expect(change.fields['BPAADDLIG.2']).toBe('');
    expect(version).toEqual({ changedAt: Date.parse('2026-11-26T10:15:00Z'), sequence: 7 });
  });

  it('delivers order lines as lines, keyed by their line number, and joins composite keys with ~', () => {
    const { change } = x3SourceChange({
      className: 'SORDER',
      record: {
        SOHNUM: 'SO0000001',
        BPCORD: 'C00001',
        UPDDATTIM: '2026-11-26T10:15:00',
        UPDTICK: 1,
        SORDERQ: [
          { $uuid: 'x', SOPLIN: 1000, ITMREF: 'BIK-1001', QTY: 2 },
          { SOPLIN: 2000, ITMREF: 'BIK-1002', QTY: 1 },
        ],
      },
      via: 'POLL',
      folder: 'SEED',
    });
    expect(change.changeType).toBe('CREATED');
    expect(change.changedAt.toISOString()).toBe('2026-11-26T10:15:00.000Z');
    expect(change.fields).not.toHaveProperty('SORDERQ.0.ITMREF');
    expect(change.lines).toEqual([
      { entity: 'SORDERQ', recordId: '1000', fields: { SOPLIN: 1000, ITMREF: 'BIK-1001', QTY: 2 } },
      { entity: 'SORDERQ', recordId: '2000', fields: { SOPLIN: 2000, ITMREF: 'BIK-1002', QTY: 1 } },
    ]);
    const stock = x3SourceChange({
      className: 'ITMMVT',
      record: {
        ITMREF: 'BIK-1001',
        STOFCY: 'FR011',
        PHYSTO: 12,
        UPDDATTIM: '2026-11-26T10:15:00Z',
        UPDTICK: 3,
      },
      via: 'POLL',
      folder: 'SEED',
    });
    expect(stock.change.recordId).toBe('BIK-1001~FR011');
  });

  it('refuses a record without its key or change time, naming both', () => {
    expect(() =>
      x3SourceChange({ className: 'BPCUSTOMER', record: { BPCNAM: 'x' }, via: 'POLL', folder: 'SEED' }),
    ).toThrow(
      new InvalidSourceRecordError('X3 BPCUSTOMER', ['BPCNUM (key) is missing', 'UPDDATTIM is missing']),
    );
  });

  it('gives a webhook and a poll of the same version the same identity, and a later version a new one', () => {
    const webhook = x3SourceChange({
      className: 'BPCUSTOMER',
      record: customer,
      via: 'WEBHOOK',
      folder: 'SEED',
    });
    const poll = x3SourceChange({ className: 'BPCUSTOMER', record: customer, via: 'POLL', folder: 'SEED' });
    const later = x3SourceChange({
      className: 'BPCUSTOMER',
      record: { ...customer, UPDTICK: 8, UPDDATTIM: '2026-11-26T10:15:01Z' },
      via: 'POLL',
      folder: 'SEED',
    });
    expect(sourceVersionIdentity(poll.change, poll.version)).toBe(
      sourceVersionIdentity(webhook.change, webhook.version),
    );
    expect(sourceVersionIdentity(later.change, later.version)).not.toBe(
      sourceVersionIdentity(webhook.change, webhook.version),
    );
    expect(isNewerSourceVersion(poll.version, webhook.version)).toBe(false);
    expect(isNewerSourceVersion(later.version, webhook.version)).toBe(true);
  });
});

describe('parseX3Notification', () => {
  it('reads a notification and ignores classes pardot-x3 does not ingest', () => {
    const body = {
      eventId: 'e1',
      folder: 'SEED',
      class: 'BPCUSTOMER',
      key: 'C00001',
      changeType: 'UPDATE',
      record: customer,
    };
    expect(parseX3Notification(body)).toMatchObject({
      kind: 'change',
      notification: { eventId: 'e1', className: 'BPCUSTOMER', kind: 'UPDATE' },
    });
    expect(parseX3Notification({ ...body, class: 'ITMMASTER' })).toMatchObject({ kind: 'ignored' });
  });

  it('names every problem of a malformed notification', () => {
    expect(() => parseX3Notification({ class: 'BPCUSTOMER', changeType: 'DELETE' })).toThrow(
      /eventId is missing; folder is missing; key is missing; changeType is "DELETE", not CREATE or UPDATE; record is missing/,
    );
  });
});

describe('isX3OwnUpdate', () => {
  it('treats customer updates by the integration user as echoes, but never creations', () => {
    expect(isX3OwnUpdate({ entity: 'BPCUSTOMER', changeType: 'UPDATED', origin: 'px3' }, ['PX3'])).toBe(true);
    expect(isX3OwnUpdate({ entity: 'BPCUSTOMER', changeType: 'CREATED', origin: 'px3' }, ['PX3'])).toBe(
      false,
    );
    expect(isX3OwnUpdate({ entity: 'BPCUSTOMER', changeType: 'UPDATED', origin: 'ERPUSER' }, ['PX3'])).toBe(
      false,
    );
  });

  it('never takes the side effects of our writes for echoes (stock our order allocated)', () => {
    expect(isX3OwnUpdate({ entity: 'ITMMVT', changeType: 'UPDATED', origin: 'px3' }, ['PX3'])).toBe(false);
    expect(isX3OwnUpdate({ entity: 'SORDER', changeType: 'UPDATED', origin: 'px3' }, ['PX3'])).toBe(false);
  });
});

describe('x3CustomerTurnover', () => {
  it('sums the orders in the customer currency exactly and finds the last order date', () => {
    const customerChangedAt = Date.parse('2026-11-21T08:00:00Z');
    const turnover = x3CustomerTurnover(
      [
        { ORDNOT: '1250.10', CUR: 'EUR', ORDDAT: '2026-10-02', UPDDATTIM: '2026-10-02T09:00:00Z' },
        { ORDNOT: 0.2, CUR: 'EUR', ORDDAT: '2026-11-20', UPDDATTIM: '2026-11-22T10:30:00Z' },
        { ORDNOT: '99', CUR: 'USD', ORDDAT: '2026-11-21', UPDDATTIM: '2026-11-21T09:00:00Z' },
      ],
      'EUR',
      customerChangedAt,
    );
    expect(turnover.fields).toEqual({
      YTOTREVENUE: '1250.3',
      YTOTREVCUR: 'EUR',
      YLASTORDDAT: '2026-11-21',
      // The newest order changed after the customer: the enriched customer changed then.
      YCHGDATTIM: '2026-11-22T10:30:00Z',
    });
    expect(turnover).toMatchObject({
      orders: 2,
      skippedOrders: 1,
      changedAt: Date.parse('2026-11-22T10:30:00Z'),
    });
    expect(x3CustomerTurnover([], 'EUR', customerChangedAt).fields).toEqual({
      YTOTREVENUE: '0',
      YTOTREVCUR: 'EUR',
      YLASTORDDAT: null,
      YCHGDATTIM: '2026-11-21T08:00:00Z',
    });
  });
});
