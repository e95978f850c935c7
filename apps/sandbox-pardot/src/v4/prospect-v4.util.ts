import { STANDARD_PROSPECT_FIELDS } from '../store/prospect-fields.constants.js';
import type { ProspectRecord } from '../store/pardot-records.types.js';
import type { PardotStore } from '../store/pardot-store.service.js';
import { legacyDateTime } from '../v5/v5-format.util.js';

const DATE_FIELDS = new Set(['createdAt', 'updatedAt', 'lastActivityAt']);

/** A prospect as v3/v4 return it: snake_case fields, custom fields by id, the campaign nested. */
export function renderLegacyProspect(store: PardotStore, p: ProspectRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of STANDARD_PROSPECT_FIELDS) {
    if (field.name === 'isDeleted') continue;
    if (field.name === 'id') out['id'] = p.id;
    else if (DATE_FIELDS.has(field.name))
      out[field.legacyName] = legacyDateTime(
        field.name === 'createdAt'
          ? p.createdAt
          : field.name === 'updatedAt'
            ? p.updatedAt
            : p.lastActivityAt,
      );
    else out[field.legacyName] = p.values.get(field.name) ?? null;
  }
  for (const custom of store.customFields.values())
    out[custom.fieldId] = p.values.get(custom.fieldId) ?? null;
  const campaignId = p.values.get('campaignId');
  const campaign = typeof campaignId === 'number' ? store.campaigns.get(campaignId) : undefined;
  if (campaign) out['campaign'] = { id: campaign.id, name: campaign.name };
  return out;
}
