/** Value types of X3 properties as the REST API shows them. */
export type X3FieldType = 'string' | 'integer' | 'decimal' | 'date' | 'datetime';

export interface X3FieldDef {
  readonly name: string;
  readonly type: X3FieldType;
  /** A client may set it through $create / $edit. */
  readonly editable: boolean;
  /** Must be given on $create. */
  readonly required?: boolean;
}

export interface X3LineDef {
  /** Name of the array of lines in the $details representation (the line table's name). */
  readonly name: string;
  readonly fields: readonly X3FieldDef[];
}

export type X3Facet = '$query' | '$details' | '$edit' | '$create';

export interface X3ClassDef {
  readonly name: X3ClassName;
  /** The representation that belongs to the class (api1 needs both). */
  readonly representation: string;
  readonly facets: readonly X3Facet[];
  /** Key properties; a composite key is written with the parts joined by "~". */
  readonly keyFields: readonly string[];
  readonly fields: readonly X3FieldDef[];
  readonly lines?: X3LineDef;
  /** Changes are sent to webhook targets. */
  readonly notifies: boolean;
}

export type X3ClassName = 'BPCUSTOMER' | 'SORDER' | 'SDELIVERY' | 'ITMMASTER' | 'ITMMVT';

const f = (name: string, type: X3FieldType = 'string', editable = true, required = false): X3FieldDef => ({
  name,
  type,
  editable,
  required,
});
const AUDIT: readonly X3FieldDef[] = [
  f('CREDATTIM', 'datetime', false),
  f('UPDDATTIM', 'datetime', false),
  f('UPDTICK', 'integer', false),
  f('CREUSR', 'string', false),
  f('UPDUSR', 'string', false),
];

/**
 * The classes the sandbox serves (apis.md §3.4 field codes). Statuses are X3 local menus:
 * OSTCTL 1 = No check, 2 = Check, 3 = Hold; BPCSTA / ITMSTA 1 = inactive… 2 = active for customers,
 * 1 = active for items; ORDSTA 1 open, 2 closed; ALLSTA / DLVSTA 1 none, 2 partly, 3 fully; CFMFLG
 * 1 = not validated, 2 = validated (menu numbers are the sandbox's choice: see docs/sandboxes/x3.md).
 */
export const X3_CLASSES: Readonly<Record<X3ClassName, X3ClassDef>> = {
  BPCUSTOMER: {
    name: 'BPCUSTOMER',
    representation: 'BPCUSTOMER',
    facets: ['$query', '$details', '$edit', '$create'],
    keyFields: ['BPCNUM'],
    notifies: true,
    fields: [
      f('BPCNUM', 'string', false),
      f('BPCNAM', 'string', true, true),
      f('BPCSHO'),
      f('BCGCOD'),
      f('CUR'),
      f('PTE'),
      f('VACBPR'),
      f('OSTAUZ', 'decimal'),
      f('OSTCTL', 'integer'),
      f('BPCSTA', 'integer'),
      f('BPAADD'),
      f('CNTNAM'),
      f('WEB'),
      f('TEL'),
      f('ADDLIG1'),
      f('POSCOD'),
      f('CTY'),
      f('CRY'),
      // Specific fields (Y prefix) of pardot-x3's one-time X3 setup: the Last Engagement Score and the
      // last engagement date (docs/flows/engagement.md), as a folder prepared for the integration has them.
      f('YENGSCORE', 'decimal'),
      f('YLASTENGDAT', 'date'),
      ...AUDIT,
    ],
  },
  SORDER: {
    name: 'SORDER',
    representation: 'SOH',
    facets: ['$query', '$details', '$edit', '$create'],
    keyFields: ['SOHNUM'],
    notifies: true,
    fields: [
      f('SOHNUM', 'string', false),
      f('SOHTYP', 'string', false),
      f('SALFCY'),
      f('STOFCY'),
      f('BPCORD', 'string', true, true),
      f('BPCINV', 'string', false),
      f('BPCPYR', 'string', false),
      f('CUSORDREF'),
      f('ORDDAT', 'date'),
      f('DEMDLVDAT', 'date'),
      f('SHIDAT', 'date'),
      f('CUR', 'string', false),
      f('ORDNOT', 'decimal', false),
      f('ORDATI', 'decimal', false),
      f('ORDSTA', 'integer', false),
      f('ALLSTA', 'integer', false),
      f('DLVSTA', 'integer', false),
      f('INVSTA', 'integer', false),
      f('CDTSTA', 'integer', false),
      ...AUDIT,
    ],
    lines: {
      name: 'SORDERQ',
      fields: [
        f('SOPLIN', 'integer', false),
        f('ITMREF', 'string', true, true),
        f('ITMDES', 'string', false),
        f('QTY', 'decimal', true, true),
        f('SAU', 'string', false),
        f('GROPRI', 'decimal'),
        f('NETPRI', 'decimal', false),
        f('ALLQTY', 'decimal', false),
        f('DLVQTY', 'decimal', false),
      ],
    },
  },
  SDELIVERY: {
    name: 'SDELIVERY',
    representation: 'SDH',
    facets: ['$query', '$details', '$create'],
    keyFields: ['SDHNUM'],
    notifies: true,
    fields: [
      f('SDHNUM', 'string', false),
      f('SOHNUM', 'string', true, true),
      f('BPCORD', 'string', false),
      f('STOFCY', 'string', false),
      f('DLVDAT', 'date'),
      f('CFMFLG', 'integer', false),
      f('DLVATI', 'decimal', false),
      ...AUDIT,
    ],
    lines: {
      name: 'SDELIVERYD',
      fields: [
        f('SDDLIN', 'integer', false),
        f('SOPLIN', 'integer', true, true),
        f('ITMREF', 'string', false),
        f('QTY', 'decimal', true, true),
      ],
    },
  },
  ITMMASTER: {
    name: 'ITMMASTER',
    representation: 'ITMMASTER',
    facets: ['$query', '$details', '$edit', '$create'],
    keyFields: ['ITMREF'],
    notifies: false,
    fields: [
      f('ITMREF', 'string', true, true),
      f('ITMDES1', 'string', true, true),
      f('ITMDES2'),
      f('TCLCOD'),
      f('ITMSTA', 'integer'),
      f('STU'),
      f('SAU'),
      f('PUU'),
      f('SAUSTUCOE', 'decimal'),
      f('EANCOD'),
      f('ITMWEI', 'decimal'),
      f('BASPRI', 'decimal'),
      ...AUDIT,
    ],
  },
  ITMMVT: {
    name: 'ITMMVT',
    representation: 'ITMMVT',
    facets: ['$query', '$details'],
    keyFields: ['ITMREF', 'STOFCY'],
    notifies: true,
    fields: [
      f('ITMREF', 'string', false),
      f('STOFCY', 'string', false),
      f('PHYSTO', 'decimal', false),
      f('CTLSTO', 'decimal', false),
      f('REJSTO', 'decimal', false),
      f('PHYALL', 'decimal', false),
      f('GLOALL', 'decimal', false),
      f('ORDSTO', 'decimal', false),
      f('SALSTO', 'decimal', false),
      f('AVC', 'decimal', false),
      ...AUDIT,
    ],
  },
};

export const X3_CLASS_NAMES = Object.keys(X3_CLASSES) as X3ClassName[];

/** The classes whose changes go to webhook targets. */
export const NOTIFYING_CLASSES: readonly X3ClassName[] = X3_CLASS_NAMES.filter((c) => X3_CLASSES[c].notifies);

export function fieldOf(def: X3ClassDef, name: string): X3FieldDef | undefined {
  return def.fields.find((x) => x.name === name);
}

export const OSTCTL = { NO_CHECK: 1, CHECK: 2, HOLD: 3 } as const;
export const YES_NO = { NO: 1, YES: 2 } as const;
export const PROGRESS = { NONE: 1, PARTLY: 2, FULLY: 3 } as const;
