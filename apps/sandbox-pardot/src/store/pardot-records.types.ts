import type { CustomFieldType } from './prospect-fields.constants.js';

export type ProspectValue = string | number | boolean | null | readonly string[];

/** A prospect: standard writable fields and custom fields (by field id) in `values`, the rest beside. */
export interface ProspectRecord {
  readonly id: number;
  readonly values: Map<string, ProspectValue>;
  readonly createdAt: Date;
  updatedAt: Date;
  lastActivityAt: Date | null;
  /** In the recycle bin. */
  isDeleted: boolean;
}

export interface CustomFieldRecord {
  readonly id: number;
  name: string;
  /** API name prospects use for it, e.g. "ERP_Customer_Code__c". */
  readonly fieldId: string;
  type: CustomFieldType;
  isRequired: boolean;
  isRecordMultipleResponses: boolean;
  salesforceId: string | null;
  readonly createdAt: Date;
  updatedAt: Date;
}

export interface VisitorActivityRecord {
  readonly id: number;
  readonly prospectId: number;
  readonly visitorId: number;
  readonly type: number;
  readonly typeName: string;
  readonly details: string;
  readonly campaignId: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ExternalActivityRecord {
  readonly id: number;
  readonly extension: string;
  readonly type: string;
  readonly value: string;
  readonly email: string;
  readonly prospectId: number;
  readonly activityDate: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface CampaignRecord {
  readonly id: number;
  readonly name: string;
}

/** An external activity type as the Tooling API setup leaves it (MarketingAppExtension + MarketingAppExtActivity). */
export interface ExternalActivityTypeRecord {
  readonly extension: string;
  readonly type: string;
  /** MarketingAppExtActivity.IsActive ("Active in Automations"). */
  readonly active: boolean;
  /** MarketingAppExtension.IsActive. */
  readonly extensionActive: boolean;
  /** The business unit the extension is assigned to. */
  readonly businessUnitId: string;
}
