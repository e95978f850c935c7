import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { messagingConfigFrom } from '@pardot-x3/messaging';
import { MessagingModule } from '@pardot-x3/messaging-nest';
import { ReadinessModule } from '@pardot-x3/service-runtime';
import { X3ChangePollModule } from './x3-change-poll/x3-change-poll.module.js';
import { X3ConnectionModule } from './x3-connection/x3-connection.module.js';
import { X3NotificationWorkerModule } from './x3-notification-worker/x3-notification-worker.module.js';
import { X3WebhookModule } from './x3-webhook/x3-webhook.module.js';
import type { X3IngestConfig } from './x3-ingest.config.js';
import { x3IngestDataSource } from './x3-ingest.database.js';

/** x3-ingest: reads Sage X3 webhooks and REST polls; emits source events. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: X3IngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ReadinessModule.forService('x3-ingest', config),
        TypeOrmModule.forRootAsync(x3IngestDataSource(config)),
        MessagingModule.forRoot({
          service: 'x3-ingest',
          config: messagingConfigFrom('x3-ingest', config),
        }),
        X3ConnectionModule,
        X3WebhookModule,
        X3NotificationWorkerModule,
        X3ChangePollModule,
      ],
    };
  }
}
