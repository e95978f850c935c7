import { Global, Module } from '@nestjs/common';
import { MappingCatalog } from '@pardot-x3/mapping';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { TransformerConfig } from '../transformer.config.js';
import { loadMappingCatalog } from './mapping-catalog.loader.js';

/**
 * The mapping templates of `<PX3_CONFIG_DIR>/mappings`, read and checked once at boot: a template with
 * a mistake stops the service with `file:line:column` messages. Injectable as `MappingCatalog`.
 */
@Global()
@Module({
  providers: [
    {
      provide: MappingCatalog,
      inject: [SERVICE_CONFIG],
      useFactory: (config: TransformerConfig) => loadMappingCatalog(config),
    },
  ],
  exports: [MappingCatalog],
})
export class MappingTemplatesModule {}
