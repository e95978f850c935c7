import { SOBJECT_CATALOG } from './sobject-catalog.constants.js';
import type { ChildRelationshipDef, FieldDef, SObjectDef } from './sobject-schema.types.js';

const BY_NAME = new Map(SOBJECT_CATALOG.map((def) => [def.name.toLowerCase(), def]));
const BY_PREFIX = new Map(SOBJECT_CATALOG.map((def) => [def.keyPrefix, def]));
const FIELDS = new Map(
  SOBJECT_CATALOG.map((def) => [def.name, new Map(def.fields.map((f) => [f.name.toLowerCase(), f]))]),
);

/** The object definition for an API name (case-insensitive, as Salesforce matches them). */
export function findSObject(name: string): SObjectDef | undefined {
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
  const parent = parentName ? findSObject(parentName) : undefined;
  return field && parent ? { field, parent } : undefined;
}

export function findChildRelationship(
  def: SObjectDef,
  relationshipName: string,
): ChildRelationshipDef | undefined {
  const wanted = relationshipName.toLowerCase();
  return def.childRelationships.find((r) => r.relationshipName.toLowerCase() === wanted);
}

export function allSObjects(): readonly SObjectDef[] {
  return SOBJECT_CATALOG;
}
