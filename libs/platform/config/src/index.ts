export {
  loadConfig,
  describeConfig,
  redactConfig,
  ConfigValidationError,
  type ConfigVariable,
} from './config-loader.js';
export {
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
  databaseConfigSchema,
  httpServerConfigSchema,
  httpServerConfigSchemaWithPort,
  booleanFlag,
  hostPortList,
  wholeNumber,
  milliseconds,
  httpUrl,
  type HttpServerConfig,
  type KafkaConfig,
  type SchemaRegistryConfig,
  type DatabaseConfig,
} from './common-config.js';
export {
  configTable,
  renderConfigTableMarkdown,
  REQUIRED,
  type ConfigTableRow,
  type ServiceConfigSchemaEntry,
} from './config-table.js';
export {
  configDirectoryConfigSchema,
  readConfigFile,
  type ConfigDirectoryConfig,
  type ConfigFile,
} from './config-files.js';
export {
  secret,
  isSecretSetting,
  secretSettingNames,
  secretFileVariable,
  resolveSecretFiles,
  secretValues,
  type SecretFileResolution,
} from './secret-setting.js';
export {
  kafkaClientSecurity,
  explainKafkaConnectionError,
  KafkaConnectionRefusedError,
  type KafkaClientSecurity,
  type KafkaConnectionTarget,
} from './kafka-client-security.js';
export { accessConfigSchema, type AccessConfig } from './access-config.js';
