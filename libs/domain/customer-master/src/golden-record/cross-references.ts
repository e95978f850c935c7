import type { CrossReferences, SourceEntity, SourceSystem } from '../customer/customer.types.js';

type XrefList = keyof CrossReferences;

const LIST_OF: Readonly<Record<string, XrefList>> = {
  'X3:BPCUSTOMER': 'x3CustomerCodes',
  'SALESFORCE:Lead': 'salesforceLeadIds',
  'SALESFORCE:Contact': 'salesforceContactIds',
  'SALESFORCE:Account': 'salesforceAccountIds',
  'PARDOT:Prospect': 'pardotProspectIds',
};

const SOURCE_OF: Readonly<Record<XrefList, { system: SourceSystem; entity: SourceEntity }>> = {
  x3CustomerCodes: { system: 'X3', entity: 'BPCUSTOMER' },
  salesforceLeadIds: { system: 'SALESFORCE', entity: 'Lead' },
  salesforceContactIds: { system: 'SALESFORCE', entity: 'Contact' },
  salesforceAccountIds: { system: 'SALESFORCE', entity: 'Account' },
  pardotProspectIds: { system: 'PARDOT', entity: 'Prospect' },
};

export const NO_CROSS_REFERENCES: CrossReferences = {
  x3CustomerCodes: [],
  salesforceLeadIds: [],
  salesforceContactIds: [],
  salesforceAccountIds: [],
  pardotProspectIds: [],
};

function listOf(system: SourceSystem, entity: SourceEntity): XrefList {
  const list = LIST_OF[`${system}:${entity}`];
  if (!list) throw new Error(`${system} has no ${entity} records`);
  return list;
}

export function hasCrossReference(
  xrefs: CrossReferences,
  system: SourceSystem,
  entity: SourceEntity,
  sourceId: string,
): boolean {
  return xrefs[listOf(system, entity)].includes(sourceId);
}

/** The cross-references with one more source id (sorted, so equal sets are equal records). */
export function addCrossReference(
  xrefs: CrossReferences,
  system: SourceSystem,
  entity: SourceEntity,
  sourceId: string,
): CrossReferences {
  const list = listOf(system, entity);
  if (xrefs[list].includes(sourceId)) return xrefs;
  return { ...xrefs, [list]: [...xrefs[list], sourceId].sort() };
}

/** The cross-references without one source id (a deleted source record). */
export function removeCrossReference(
  xrefs: CrossReferences,
  system: SourceSystem,
  entity: SourceEntity,
  sourceId: string,
): CrossReferences {
  const list = listOf(system, entity);
  if (!xrefs[list].includes(sourceId)) return xrefs;
  return { ...xrefs, [list]: xrefs[list].filter((id) => id !== sourceId) };
}

export function unionCrossReferences(a: CrossReferences, b: CrossReferences): CrossReferences {
  const union = (list: XrefList): string[] => [...new Set([...a[list], ...b[list]])].sort();
  return {
    x3CustomerCodes: union('x3CustomerCodes'),
    salesforceLeadIds: union('salesforceLeadIds'),
    salesforceContactIds: union('salesforceContactIds'),
    salesforceAccountIds: union('salesforceAccountIds'),
    pardotProspectIds: union('pardotProspectIds'),
  };
}

/** Every source record linked to a golden record. */
export function crossReferenceKeys(
  xrefs: CrossReferences,
): { system: SourceSystem; entity: SourceEntity; sourceId: string }[] {
  return (Object.keys(SOURCE_OF) as XrefList[]).flatMap((list) =>
    xrefs[list].map((sourceId) => ({ ...SOURCE_OF[list], sourceId })),
  );
}
