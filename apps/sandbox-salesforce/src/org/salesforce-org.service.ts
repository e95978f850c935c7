import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { generateWorld, type ResolvedWorldCounts } from '@pardot-x3/sandbox-kit';
import { ChangeEventLog } from '../cdc/change-event-log.service.js';
import { ApiUsage } from '../limits/api-usage.service.js';
import { QueryCursors } from '../rest/query-cursor.service.js';
import { declareCustomFields, readCustomFieldFile } from '../sobjects/custom-field.util.js';
import { resetDeclaredFields } from '../sobjects/sobject-schema.util.js';
import { loadWorld } from '../seed/world-to-org.util.js';
import { SANDBOX_SALESFORCE_CONFIG, type SandboxSalesforceConfig } from '../sandbox-salesforce.config.js';
import { makeSalesforceId } from '../sobjects/salesforce-id.util.js';
import { allSObjects } from '../sobjects/sobject-schema.util.js';
import { SObjectStore } from '../sobjects/sobject-store.service.js';
import type { WriteContext } from '../sobjects/record-change.types.js';
import { SoqlExecutor } from '../soql/soql-executor.service.js';
import { BayeuxServer } from '../streaming/bayeux-server.service.js';

const COMETD_MAX_INTERVAL_MS = 60_000;

/**
 * One Salesforce org: its records, query cursors, API usage, change event bus and streaming clients,
 * plus the settings tests change at run time. Everything is in memory; `reset()` returns to the
 * seeded start state.
 */
@Injectable()
export class SalesforceOrg implements OnModuleDestroy {
  readonly store = new SObjectStore();
  readonly soql = new SoqlExecutor(this.store);
  readonly cursors = new QueryCursors();
  readonly usage: ApiUsage;
  readonly changeEvents: ChangeEventLog;
  readonly streaming: BayeuxServer;
  readonly orgId: string;
  readonly apiUser: { readonly username: string; readonly userId: string };
  /** What an upsert that updates answers: 200 + created:false (v46+) or 204. */
  upsertUpdateStatus: 200 | 204;
  /** Base URL clients reach the sandbox at (instance_url); set once the server listens. */
  baseUrl: string;
  private seedUsed: { seed: number; counts: ResolvedWorldCounts };

  constructor(@Inject(SANDBOX_SALESFORCE_CONFIG) private readonly config: SandboxSalesforceConfig) {
    this.orgId = config.SF_ORG_ID;
    this.apiUser = { username: config.SF_USERNAME, userId: makeSalesforceId('005', 1) };
    this.usage = new ApiUsage(config.SF_DAILY_API_LIMIT);
    this.changeEvents = new ChangeEventLog(config.SF_CDC_RETENTION_HOURS * 3_600_000);
    this.streaming = new BayeuxServer(this.changeEvents, {
      timeoutMs: config.SF_COMETD_TIMEOUT_MS,
      maxIntervalMs: COMETD_MAX_INTERVAL_MS,
    });
    this.store.onChange((changes) => this.changeEvents.record(changes));
    this.upsertUpdateStatus = config.SF_UPSERT_UPDATE_STATUS === '204' ? 204 : 200;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    this.baseUrl = (config.SANDBOX_PUBLIC_URL ?? `http://${host}:${config.PORT}`).replace(/\/$/, '');
    this.seedUsed = { seed: config.SANDBOX_SEED, counts: config.SANDBOX_SEED_COUNTS };
    // The org's metadata: the standard catalog and the custom fields of SF_CUSTOM_FIELDS (a bad file fails the start).
    resetDeclaredFields();
    if (config.SF_CUSTOM_FIELDS) declareCustomFields(readCustomFieldFile(config.SF_CUSTOM_FIELDS));
    this.seed(this.seedUsed.seed, this.seedUsed.counts);
  }

  /** Replaces all records with the world for this seed; change events and cursors start empty. */
  seed(seed: number, counts: ResolvedWorldCounts): void {
    this.seedUsed = { seed, counts };
    this.store.clear();
    this.cursors.clear();
    loadWorld(this.store, generateWorld(seed, counts), this.adminContext());
    for (const activityType of this.config.SF_MARKETING_APP_EXTENSIONS)
      this.registerActivityType(activityType);
    this.changeEvents.clear();
  }

  /**
   * Registers an Account Engagement external activity type the way Setup leaves it: the Marketing App
   * Extension (created if missing) and its activity type, each active or not. Idempotent.
   */
  registerActivityType(input: {
    extension: string;
    type: string;
    active?: boolean;
    extensionActive?: boolean;
  }): { extensionId: string; activityId: string } {
    return this.store.transaction(this.adminContext(), (tx) => {
      const existing = this.store
        .all('MarketingAppExtension')
        .find((r) => String(r['DeveloperName']).toLowerCase() === input.extension.toLowerCase());
      const extension = existing
        ? this.store.update(tx, 'MarketingAppExtension', String(existing['Id']), {
            IsActive: input.extensionActive ?? true,
          })
        : this.store.create(tx, 'MarketingAppExtension', {
            DeveloperName: input.extension,
            MasterLabel: input.extension,
            IsActive: input.extensionActive ?? true,
          });
      const extensionId = String(extension['Id']);
      const activity = this.store
        .all('MarketingAppExtActivity')
        .find(
          (r) =>
            r['MarketingAppExtensionId'] === extensionId &&
            String(r['DeveloperName']).toLowerCase() === input.type.toLowerCase(),
        );
      const saved = activity
        ? this.store.update(tx, 'MarketingAppExtActivity', String(activity['Id']), {
            IsActive: input.active ?? true,
          })
        : this.store.create(tx, 'MarketingAppExtActivity', {
            MarketingAppExtensionId: extensionId,
            DeveloperName: input.type,
            MasterLabel: input.type,
            IsActive: input.active ?? true,
          });
      return { extensionId, activityId: String(saved['Id']) };
    });
  }

  /** Back to the start state: the seed the process started with, usage and settings as configured. */
  reset(): void {
    this.usage.setLimit(this.config.SF_DAILY_API_LIMIT);
    this.usage.setUsed(0);
    this.upsertUpdateStatus = this.config.SF_UPSERT_UPDATE_STATUS === '204' ? 204 : 200;
    this.changeEvents.setRetentionHours(this.config.SF_CDC_RETENTION_HOURS);
    this.streaming.dropAllClients();
    this.seed(this.config.SANDBOX_SEED, this.config.SANDBOX_SEED_COUNTS);
  }

  state(): Record<string, unknown> {
    return {
      orgId: this.orgId,
      instanceUrl: this.baseUrl,
      seed: this.seedUsed.seed,
      records: Object.fromEntries(allSObjects('data').map((def) => [def.name, this.store.count(def.name)])),
      apiUsage: { used: this.usage.used(), limit: this.usage.limit },
      changeEvents: {
        retained: this.changeEvents.size(),
        latestReplayId: this.changeEvents.latestReplayId,
        retentionHours: this.changeEvents.retentionHours,
      },
      streamingClients: this.streaming.clientCount,
      upsertUpdateStatus: this.upsertUpdateStatus,
    };
  }

  /** The write context of an API request: its user, and the changeOrigin CDC reports for it. */
  apiContext(userId: string, apiVersion: string, callClientId: string | undefined): WriteContext {
    const origin = `com/salesforce/api/rest/${apiVersion}${callClientId ? `;client=${callClientId}` : ''}`;
    return { userId, changeOrigin: origin, transactionKey: randomUUID() };
  }

  /** Writes made outside the API (seeding, admin actions) look like UI edits: empty changeOrigin. */
  adminContext(): WriteContext {
    return { userId: this.apiUser.userId, changeOrigin: '', transactionKey: randomUUID() };
  }

  onModuleDestroy(): void {
    this.streaming.close();
  }
}
