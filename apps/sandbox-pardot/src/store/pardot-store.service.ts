import { Inject, Injectable } from '@nestjs/common';
import { generateWorld, type ResolvedWorldCounts, type World } from '@pardot-x3/sandbox-kit';
import { SANDBOX_PARDOT_CONFIG, type SandboxPardotConfig } from '../sandbox-pardot.config.js';
import { COUNTRY_NAMES, type CustomFieldType } from './prospect-fields.constants.js';
import type {
  CampaignRecord,
  CustomFieldRecord,
  ExternalActivityRecord,
  ExternalActivityTypeRecord,
  ProspectRecord,
  ProspectValue,
  VisitorActivityRecord,
} from './pardot-records.types.js';

const FIRST_PROSPECT_ID = 100_001;
const FIRST_CUSTOM_FIELD_ID = 5_001;
const FIRST_EXTERNAL_ACTIVITY_ID = 900_001;

/**
 * The business unit's data, in memory: prospects, custom fields, campaigns, visitor activities,
 * external activities and the registered external activity types. Loaded from the seeded world.
 */
@Injectable()
export class PardotStore {
  readonly prospects = new Map<number, ProspectRecord>();
  readonly customFields = new Map<number, CustomFieldRecord>();
  readonly campaigns = new Map<number, CampaignRecord>();
  readonly visitorActivities = new Map<number, VisitorActivityRecord>();
  readonly externalActivities = new Map<number, ExternalActivityRecord>();
  readonly externalActivityTypes = new Map<string, ExternalActivityTypeRecord>();
  private nextProspectId = FIRST_PROSPECT_ID;
  private nextCustomFieldId = FIRST_CUSTOM_FIELD_ID;
  private nextExternalActivityId = FIRST_EXTERNAL_ACTIVITY_ID;
  private seededWith: { seed: number; counts: ResolvedWorldCounts };

  constructor(@Inject(SANDBOX_PARDOT_CONFIG) private readonly config: SandboxPardotConfig) {
    this.seededWith = { seed: config.SANDBOX_SEED, counts: config.SANDBOX_SEED_COUNTS };
    this.seed(config.SANDBOX_SEED, config.SANDBOX_SEED_COUNTS);
  }

  /** Replaces every record with the world of this seed (custom fields and activity types as configured). */
  seed(seed: number, counts: ResolvedWorldCounts): void {
    this.seededWith = { seed, counts };
    this.clear();
    for (const field of this.config.PARDOT_CUSTOM_FIELDS)
      this.addCustomField(field.fieldId, field.fieldId, field.type, new Date(0));
    for (const t of this.config.PARDOT_EXTERNAL_ACTIVITY_TYPES) {
      this.registerExternalActivityType({
        ...t,
        active: true,
        extensionActive: true,
        businessUnitId: this.config.PARDOT_BUSINESS_UNIT_ID,
      });
    }
    this.load(generateWorld(seed, counts));
  }

  /** Back to the configured seed and counts. */
  reset(): void {
    this.seed(this.config.SANDBOX_SEED, this.config.SANDBOX_SEED_COUNTS);
  }

  get seededFrom(): { seed: number; counts: ResolvedWorldCounts } {
    return this.seededWith;
  }

  newProspectId(): number {
    return this.nextProspectId++;
  }

  newExternalActivityId(): number {
    return this.nextExternalActivityId++;
  }

  addCustomField(
    name: string,
    fieldId: string,
    type: CustomFieldType,
    at: Date,
    options: Partial<
      Pick<CustomFieldRecord, 'isRequired' | 'isRecordMultipleResponses' | 'salesforceId'>
    > = {},
  ): CustomFieldRecord {
    const record: CustomFieldRecord = {
      id: this.nextCustomFieldId++,
      name,
      fieldId,
      type,
      isRequired: options.isRequired ?? false,
      isRecordMultipleResponses: options.isRecordMultipleResponses ?? type === 'Multi-Select',
      salesforceId: options.salesforceId ?? null,
      createdAt: at,
      updatedAt: at,
    };
    this.customFields.set(record.id, record);
    return record;
  }

  customFieldByFieldId(fieldId: string): CustomFieldRecord | undefined {
    for (const field of this.customFields.values()) if (field.fieldId === fieldId) return field;
    return undefined;
  }

  registerExternalActivityType(record: ExternalActivityTypeRecord): ExternalActivityTypeRecord {
    this.externalActivityTypes.set(`${record.extension}\u0000${record.type}`, record);
    // Activation of the extension is one flag shared by its types.
    for (const [key, other] of this.externalActivityTypes) {
      if (other.extension === record.extension && other !== record) {
        this.externalActivityTypes.set(key, {
          ...other,
          extensionActive: record.extensionActive,
          businessUnitId: record.businessUnitId,
        });
      }
    }
    return record;
  }

  externalActivityType(extension: string, type: string): ExternalActivityTypeRecord | undefined {
    return this.externalActivityTypes.get(`${extension}\u0000${type}`);
  }

  hasExtension(extension: string): boolean {
    for (const t of this.externalActivityTypes.values()) if (t.extension === extension) return true;
    return false;
  }

  summary(): Record<string, unknown> {
    const prospects = [...this.prospects.values()];
    return {
      seed: this.seededWith.seed,
      counts: this.seededWith.counts,
      prospects: prospects.filter((p) => !p.isDeleted).length,
      prospectsInRecycleBin: prospects.filter((p) => p.isDeleted).length,
      customFields: [...this.customFields.values()].map((c) => c.fieldId),
      visitorActivities: this.visitorActivities.size,
      externalActivities: this.externalActivities.size,
      externalActivityTypes: [...this.externalActivityTypes.values()],
    };
  }

  private clear(): void {
    this.prospects.clear();
    this.customFields.clear();
    this.campaigns.clear();
    this.visitorActivities.clear();
    this.externalActivities.clear();
    this.externalActivityTypes.clear();
    this.nextProspectId = FIRST_PROSPECT_ID;
    this.nextCustomFieldId = FIRST_CUSTOM_FIELD_ID;
    this.nextExternalActivityId = FIRST_EXTERNAL_ACTIVITY_ID;
  }

  private load(world: World): void {
    const campaignIds = new Map<string, number>();
    for (const activity of world.visitorActivities) {
      if (!campaignIds.has(activity.campaignName)) {
        const id = campaignIds.size + 1;
        campaignIds.set(activity.campaignName, id);
        this.campaigns.set(id, { id, name: activity.campaignName });
      }
    }
    const companies = new Map(world.companies.map((c) => [c.key, c]));
    const prospectIdOf = new Map<string, number>();
    const erpCodeField = this.customFieldByFieldId('ERP_Customer_Code__c');
    for (const person of world.people) {
      const id = this.newProspectId();
      prospectIdOf.set(person.key, id);
      const company = person.companyKey ? companies.get(person.companyKey) : undefined;
      const values = new Map<string, ProspectValue>([
        ['email', person.email],
        ['firstName', person.firstName],
        ['lastName', person.lastName],
        ['company', person.companyName],
        ['jobTitle', person.title],
        ['phone', person.phone],
        ['addressOne', person.address.street],
        ['city', person.address.city],
        ['state', person.address.state ?? null],
        ['zip', person.address.postcode],
        ['country', COUNTRY_NAMES[person.address.country] ?? person.address.country],
        ['website', company?.website ?? null],
        ['industry', company?.industry ?? null],
        ['score', person.score],
        ['source', person.kind === 'lead' ? 'Website' : 'CRM'],
      ]);
      if (erpCodeField && company) values.set(erpCodeField.fieldId, company.customerCode);
      const createdAt = new Date(person.createdAt);
      this.prospects.set(id, {
        id,
        values,
        createdAt,
        updatedAt: createdAt,
        lastActivityAt: null,
        isDeleted: false,
      });
    }
    for (const activity of world.visitorActivities) {
      const prospectId = prospectIdOf.get(activity.personKey);
      if (prospectId === undefined) continue;
      const createdAt = new Date(activity.createdAt);
      this.visitorActivities.set(activity.id, {
        id: activity.id,
        prospectId,
        visitorId: prospectId + 4_000_000,
        type: activity.type,
        typeName: activity.typeName,
        details: activity.details,
        campaignId: campaignIds.get(activity.campaignName) ?? null,
        createdAt,
        updatedAt: createdAt,
      });
      const prospect = this.prospects.get(prospectId);
      if (prospect && (!prospect.lastActivityAt || prospect.lastActivityAt < createdAt)) {
        prospect.lastActivityAt = createdAt;
        if (!prospect.values.get('campaignId'))
          prospect.values.set('campaignId', campaignIds.get(activity.campaignName) ?? null);
      }
    }
  }
}
