export { LocalStack, redactUrl, type StackEnvironment } from './local-stack.js';
export {
  loadStackConfig,
  findRepositoryRoot,
  DEFAULT_PORTS,
  type StackConfig,
  type StackPorts,
} from './stack-config.js';
export type { ComponentName, ComponentStatus } from './components/stack-component.js';
export { KAFKA_VERSION } from './components/kafka.component.js';
export { LOCAL_SASL_USERNAME, SCRAM_MECHANISMS } from './kafka-sasl-ssl.js';
export { APICURIO_VERSION, CCOMPAT_PATH } from './components/schema-registry.component.js';
export { StackStartError } from './readiness.js';
export {
  tailLog,
  startDetached,
  stopProcess,
  runningPid,
  readPid,
  isAlive,
  type SupervisedProcess,
  type StartOptions,
} from './process-supervisor.js';
export { waitUntil, tcpAccepts, httpOk } from './readiness.js';
