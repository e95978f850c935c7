import { Injectable } from '@nestjs/common';
import { OSTCTL, X3_CLASSES } from '../catalog/x3-class-catalog.constants.js';
import { X3BusinessError, diagnosis, type X3Diagnosis } from '../errors/x3-http.error.js';
import type { X3Record, X3Value } from '../store/x3-record.types.js';
import { X3Store, type X3Folder } from '../store/x3-store.service.js';
import { readWriteInput } from './x3-write-input.util.js';

const CUSTOMER_DEFAULTS: Record<string, X3Value> = {
  BCGCOD: 'STD',
  CUR: 'EUR',
  PTE: '30NET',
  OSTAUZ: 50_000,
  OSTCTL: OSTCTL.CHECK,
  BPCSTA: 2,
  BPAADD: 'MAIN',
};
const ITEM_DEFAULTS: Record<string, X3Value> = {
  ITMSTA: 1,
  STU: 'UN',
  SAU: 'UN',
  PUU: 'UN',
  SAUSTUCOE: 1,
  BASPRI: 0,
};

/** Customers (BPCUSTOMER) and products (ITMMASTER): creation and $edit with X3's checks. */
@Injectable()
export class MasterDataService {
  constructor(private readonly store: X3Store) {}

  createCustomer(folder: X3Folder, body: unknown, user: string): X3Record {
    const input = readWriteInput(X3_CLASSES.BPCUSTOMER, body, 'create');
    const problems = [...input.problems, ...customerProblems(input.values)];
    let code = input.values['BPCNUM'];
    if (code === undefined || code === null || code === '') {
      do code = `C${String(folder.nextCustomer++).padStart(5, '0')}`;
      while (folder.get('BPCUSTOMER', code));
    } else if (folder.get('BPCUSTOMER', String(code))) {
      problems.push(diagnosis(`BPCNUM ${String(code)} : Record already exists`));
    }
    if (problems.length > 0) throw new X3BusinessError(problems);
    const name = String(input.values['BPCNAM']);
    return this.store.insert(
      folder,
      'BPCUSTOMER',
      {
        ...CUSTOMER_DEFAULTS,
        BPCSHO: name
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, '')
          .slice(0, 10),
        ...input.values,
        BPCNUM: String(code),
      },
      user,
    );
  }

  editCustomer(folder: X3Folder, customer: X3Record, body: unknown, user: string): X3Record {
    const input = readWriteInput(X3_CLASSES.BPCUSTOMER, body, 'edit');
    const problems = [...input.problems, ...customerProblems(input.values)];
    if (problems.length > 0) throw new X3BusinessError(problems);
    return this.store.update(folder, customer, input.values, user);
  }

  createItem(folder: X3Folder, body: unknown, user: string): X3Record {
    const input = readWriteInput(X3_CLASSES.ITMMASTER, body, 'create');
    const problems = [...input.problems];
    const code = input.values['ITMREF'];
    if (typeof code === 'string' && folder.get('ITMMASTER', code))
      problems.push(diagnosis(`ITMREF ${code} : Record already exists`));
    if (typeof code === 'string' && !/^[A-Z0-9_-]{1,20}$/.test(code))
      problems.push(diagnosis('ITMREF: up to 20 capital letters, digits, - or _'));
    if (problems.length > 0) throw new X3BusinessError(problems);
    return this.store.insert(folder, 'ITMMASTER', { ...ITEM_DEFAULTS, ...input.values }, user);
  }

  editItem(folder: X3Folder, item: X3Record, body: unknown, user: string): X3Record {
    const input = readWriteInput(X3_CLASSES.ITMMASTER, body, 'edit');
    if (input.problems.length > 0) throw new X3BusinessError(input.problems);
    return this.store.update(folder, item, input.values, user);
  }
}

function customerProblems(values: Record<string, X3Value>): X3Diagnosis[] {
  const problems: X3Diagnosis[] = [];
  if (
    values['OSTCTL'] !== undefined &&
    ![OSTCTL.NO_CHECK, OSTCTL.CHECK, OSTCTL.HOLD].includes(values['OSTCTL'] as 1 | 2 | 3)
  ) {
    problems.push(diagnosis('OSTCTL: 1 (No check), 2 (Check) or 3 (Hold) expected'));
  }
  if (values['BPCSTA'] !== undefined && values['BPCSTA'] !== 1 && values['BPCSTA'] !== 2)
    problems.push(diagnosis('BPCSTA: 1 (No) or 2 (Yes) expected'));
  if (values['CRY'] !== undefined && values['CRY'] !== null && !/^[A-Z]{2}$/.test(String(values['CRY'])))
    problems.push(diagnosis('CRY: a 2-letter country code is expected'));
  if (
    typeof values['WEB'] === 'string' &&
    values['WEB'] !== '' &&
    !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values['WEB'])
  )
    problems.push(diagnosis('WEB: an email address is expected'));
  return problems;
}
