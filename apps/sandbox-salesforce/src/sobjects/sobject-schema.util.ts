import { SOBJECT_CATALOG } from './sobject-catalog.constants.js';
import type { ChildRelationshipDef, FieldDef, SObjectApi, SObjectDef } from './sobject-schema.types.js';

const BY_NAME = new Map(SOBJECT_CATALOG.map((def) => [def.name.toLowerCase(), def]));
const BY_PREFIX = new Map(SOBJECT_CATALOG.map((def) => [def.keyPrefix, def]));
const FIELDS = new Map(
  SOBJECT_CATALOG.map((def) => [def.name, new Map(def.fields.map((f) => [f.name.toLowerCase(), f]))]),
);

/** The object an API serves under this name (case-insensitive, as Salesforce matches them). */
export function findSObject(name: string, api: SObjectApi = 'data'): SObjectDef | undefined {
  const def = BY_NAME.get(name.toLowerCase());
  return def && (def.api ?? 'data') === api ? def : undefined;
}

/** The object of any API (the store holds data and tooling records alike). */
export function findAnySObject(name: string): SObjectDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function sobjectForId(id: string): SObjectDef | undefined {
  return BY_PREFIX.get(id.slice(0, 3));
}

export function findField(def: SObjectDef, name: string): FieldDef | undefined {
  return FIELDS.get(def.name)?.get(name.toLowerCase());
}

/** A parent relationship (`Account` on Contact) resolved to its reference field and parent object. */
export function findParentRelationship(
  def: SObjectDef,
  relationshipName: string,
): { field: FieldDef; parent: SObjectDef } | undefined {
  const wanted = relationshipName.toLowerCase();
  const field = def.fields.find((f) => f.relationshipName?.toLowerCase() === wanted);
  const parentName = field?.referenceTo[0];
  const parent = parentName ? findSObject(parentName, def.api) : undefined;
  return field && parent ? { field, parent } : undefined;
}

export function findChildRelationship(
  def: SObjectDef,
  relationshipName: string,
): ChildRelationshipDef | undefined {
  const wanted = relationshipName.toLowerCase();
  return def.childRelationships.find((r) => r.relationshipName.toLowerCase() === wanted);
}

/** Every object, or those one API serves. */
export function allSObjects(api?: SObjectApi): readonly SObjectDef[] {
  return api ? SOBJECT_CATALOG.filter((def) => (def.api ?? 'data') === api) : SOBJECT_CATALOG;
}
