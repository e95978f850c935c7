import type { FieldDef, SObjectDef } from '../sobjects/sobject-schema.types.js';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(def: SObjectDef, apiVersion: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** The summary `GET /sobjects` lists per object. */
export function describeSummary(def: SObjectDef, apiVersion: string): Record<string, unknown> {
  return {
    activateable: false,
    createable: true,
    custom: false,
    customSetting: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: def.name === 'Account' || def.name === 'Contact' || def.name === 'Lead',
    name: def.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: urls(def, apiVersion),
  };
}

function describeField(field: FieldDef): Record<string, unknown> {
  const numeric = field.type === 'currency' || field.type === 'double' || field.type === 'percent';
  return {
    aggregatable: field.type !== 'textarea',
    autoNumber: false,
    byteLength: field.length * 3,
    calculated: field.calculated,
    caseSensitive: false,
    compoundFieldName: field.compound?.field ?? null,
    createable: field.createable,
    custom: field.name.endsWith('__c'),
    defaultValue: null,
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    digits: field.type === 'int' ? field.precision : 0,
    externalId: field.externalId,
    filterable: field.type !== 'textarea',
    groupable: field.type !== 'textarea' && !numeric,
    idLookup: field.type === 'id' || field.externalId,
    label: field.label,
    length: field.length,
    name: field.name,
    nameField: field.name === 'Name',
    nillable: field.nillable,
    picklistValues: field.picklistValues.map((value) => ({
      active: true,
      defaultValue: false,
      label: value,
      validFor: null,
      value,
    })),
    precision: numeric ? field.precision : 0,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName ?? null,
    restrictedPicklist: field.restrictedPicklist,
    scale: numeric ? field.scale : 0,
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    sortable: field.type !== 'textarea',
    type: field.type,
    unique: field.unique,
    updateable: field.updateable,
  };
}

/** `GET /sobjects/{type}/describe`. */
export function describeSObject(def: SObjectDef, apiVersion: string): Record<string, unknown> {
  return {
    ...describeSummary(def, apiVersion),
    childRelationships: def.childRelationships.map((r) => ({
      cascadeDelete: r.cascadeDelete,
      childSObject: r.childSObject,
      deprecatedAndHidden: false,
      field: r.field,
      relationshipName: r.relationshipName,
      restrictedDelete: false,
    })),
    fields: def.fields.map(describeField),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All accounts', name: 'everything' }],
  };
}
