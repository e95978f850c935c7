export { waitFor, type WaitForOptions } from './wait-for.js';
export { stackEnv, uniqueNamespace, createTestDatabase } from './test-isolation.js';
export { ServiceProcess, type ServiceProcessOptions } from './service-process.js';
export { NodeProcess, type NodeProcessOptions } from './node-process.js';
export {
  startSaslSslKafka,
  type SaslSslKafka,
  type SaslSslKafkaEnvironment,
  type SaslSslKafkaOptions,
} from './sasl-ssl-kafka.js';
export {
  testAccess,
  listRoutes,
  probeRouteAccess,
  expectEveryRouteGuarded,
  OPEN_ROUTES,
  TEST_OIDC_ISSUER,
  TEST_OIDC_AUDIENCE,
  type TestAccess,
  type RouteAccessProbe,
} from './test-access.js';
