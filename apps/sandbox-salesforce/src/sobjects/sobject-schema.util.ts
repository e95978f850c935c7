import { SOBJECT_CATALOG } from './sobject-catalog.constants.js';
import type { ChildRelationshipDef, FieldDef, SObjectApi, SObjectDef } from './sobject-schema.types.js';

/**
 * The org's objects: the standard catalog plus the custom fields declared at start or through the
 * admin API (`declareFields`). Process-wide, like the org's metadata: a data reset keeps them.
 */
let catalog: readonly SObjectDef[] = SOBJECT_CATALOG;
let BY_NAME = new Map<string, SObjectDef>();
let BY_PREFIX = new Map<string, SObjectDef>();
let FIELDS = new Map<string, Map<string, FieldDef>>();
index();

function index(): void {
  BY_NAME = new Map(catalog.map((def) => [def.name.toLowerCase(), def]));
  BY_PREFIX = new Map(catalog.map((def) => [def.keyPrefix, def]));
  FIELDS = new Map(
    catalog.map((def) => [def.name, new Map(def.fields.map((f) => [f.name.toLowerCase(), f]))]),
  );
}

/** Adds fields to an object's describe (they must be new to it); returns the object as it is now. */
export function declareFields(objectName: string, fields: readonly FieldDef[]): SObjectDef {
  const def = findAnySObject(objectName);
  if (!def) throw new RangeError(`there is no object ${objectName}`);
  const updated: SObjectDef = { ...def, fields: [...def.fields, ...fields] };
  catalog = catalog.map((d) => (d === def ? updated : d));
  index();
  return updated;
}

/** Back to the standard catalog, without declared custom fields. */
export function resetDeclaredFields(): void {
  catalog = SOBJECT_CATALOG;
  index();
}

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
  return api ? catalog.filter((def) => (def.api ?? 'data') === api) : catalog;
}
