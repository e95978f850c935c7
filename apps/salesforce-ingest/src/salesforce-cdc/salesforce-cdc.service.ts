import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { createLogger } from '@pardot-x3/observability';
import { SalesforceCdcSubscriber, SalesforceClient } from '@pardot-x3/salesforce-connector';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';
import { HandleCdcEventUseCase } from './handle-cdc-event.use-case.js';
import { useFreshConnectionsForLongPolls } from './long-poll-http-agents.js';
import { PostgresReplayPositionStore } from './replay-position.store.js';

/**
 * The Change Data Capture subscription of the service: started once the application is up (after the
 * stored replay position), stopped before shutdown after the event in hand is durable.
 */
@Injectable()
export class SalesforceCdcService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SalesforceCdcService.name);
  private subscriber?: SalesforceCdcSubscriber;

  constructor(
    private readonly salesforce: SalesforceClient,
    private readonly store: PostgresReplayPositionStore,
    private readonly handle: HandleCdcEventUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: SalesforceIngestConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SALESFORCE_CDC_ENABLED) return;
    useFreshConnectionsForLongPolls();
    this.subscriber = new SalesforceCdcSubscriber({
      auth: this.salesforce.auth,
      apiVersion: this.config.SALESFORCE_API_VERSION,
      callClientId: this.config.SALESFORCE_CALL_CLIENT_ID,
      channel: this.config.SALESFORCE_CDC_CHANNEL,
      store: this.store,
      handler: (event) => this.handle.execute(event),
      startWithoutPosition: this.config.SALESFORCE_CDC_FIRST_START,
      logger: createLogger({ service: 'salesforce-ingest', level: this.config.LOG_LEVEL }),
    });
    await this.subscriber.start();
    this.logger.log({ channel: this.config.SALESFORCE_CDC_CHANNEL }, 'Change Data Capture subscribed');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscriber?.stop();
  }
}
