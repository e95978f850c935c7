import { STANDARD_FIELDS_BY_NAME } from '../store/prospect-fields.constants.js';
import type { ProspectRecord } from '../store/pardot-records.types.js';
import type { PardotStore } from '../store/pardot-store.service.js';
import { PardotApiError } from '../errors/pardot-api.error.js';
import { v5DateTime } from './v5-format.util.js';
import type { V5ObjectSpec } from './v5-query.util.js';

const RELATED = new Set(['campaign.id', 'campaign.name']);

/** Whether `fields` may name this for prospects: a standard field, a custom field id, or campaign.id/name. */
export function isProspectField(store: PardotStore, field: string): boolean {
  return (
    STANDARD_FIELDS_BY_NAME.has(field) ||
    RELATED.has(field) ||
    store.customFieldByFieldId(field) !== undefined
  );
}

/** A prospect as v5 returns it: only the requested fields, related objects nested (campaign.name → {campaign:{name}}). */
export function renderProspect(
  store: PardotStore,
  p: ProspectRecord,
  fields: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.startsWith('campaign.')) {
      const campaignId = p.values.get('campaignId');
      const campaign = typeof campaignId === 'number' ? store.campaigns.get(campaignId) : undefined;
      const nested = (out['campaign'] ??= {}) as Record<string, unknown>;
      nested[field.slice('campaign.'.length)] = campaign
        ? campaign[field === 'campaign.id' ? 'id' : 'name']
        : null;
      continue;
    }
    out[field] = prospectValue(p, field);
  }
  return out;
}

export function prospectValue(p: ProspectRecord, field: string): unknown {
  switch (field) {
    case 'id':
      return p.id;
    case 'createdAt':
      return v5DateTime(p.createdAt);
    case 'updatedAt':
      return v5DateTime(p.updatedAt);
    case 'lastActivityAt':
      return v5DateTime(p.lastActivityAt);
    case 'isDeleted':
      return p.isDeleted;
    default:
      return p.values.get(field) ?? null;
  }
}

/** Query rules of /objects/prospects. */
export function prospectQuerySpec(store: PardotStore): V5ObjectSpec<ProspectRecord> {
  return {
    resource: 'prospects',
    isSelectable: (f) => isProspectField(store, f),
    filters: {
      id: { type: 'integer', value: (p) => p.id },
      createdAt: { type: 'datetime', value: (p) => p.createdAt },
      updatedAt: { type: 'datetime', value: (p) => p.updatedAt },
      lastActivityAt: { type: 'datetime', value: (p) => p.lastActivityAt },
    },
    sortable: {
      id: (p) => p.id,
      createdAt: (p) => p.createdAt.getTime(),
      updatedAt: (p) => p.updatedAt.getTime(),
      lastActivityAt: (p) => p.lastActivityAt?.getTime() ?? null,
    },
    options: {
      deleted: {
        parse: (raw) => {
          if (raw === 'true') return (p) => p.isDeleted;
          if (raw === 'false') return (p) => !p.isDeleted;
          if (raw === 'all') return () => true;
          throw PardotApiError.badRequest(5, 'deleted must be true, false or all');
        },
        absent: (p) => !p.isDeleted,
      },
    },
    render: (p, fields) => renderProspect(store, p, fields),
  };
}
