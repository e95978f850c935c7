export {
  PIPELINE_SERVICES,
  SANDBOX_SYSTEMS,
  defaultLayout,
  blockLayout,
  serviceUrl,
  sandboxUrl,
  type PipelineService,
  type SandboxSystem,
  type PipelineLayout,
} from './pipeline-layout.js';
export {
  SANDBOX_SALESFORCE_APP,
  SANDBOX_PARDOT_BUSINESS_UNIT,
  SANDBOX_PARDOT_CUSTOM_FIELDS,
  SANDBOX_ACTIVITY_EXTENSION,
  SANDBOX_ACTIVITY_TYPES,
  SANDBOX_X3,
  SANDBOX_ADMIN_TOKEN,
} from './sandbox-credentials.js';
export {
  sandboxEnvironment,
  serviceEnvironment,
  type PipelineInfrastructure,
  type SandboxEnvironmentOptions,
  type ServiceEnvironmentOptions,
} from './pipeline-environment.js';
export { localOperatorKey, LOCAL_OPERATOR_KEY_NAME, type LocalOperatorKey } from './local-access.js';
export { SERVICE_MALLOC_ENVIRONMENT, SERVICE_NODE_OPTIONS } from './service-node-options.js';
