export { loadConfig, describeConfig, ConfigValidationError } from './config-loader.js';
export {
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
  databaseConfigSchema,
  httpServerConfigSchema,
  booleanFlag,
  hostPortList,
  httpUrl,
} from './common-config.js';
