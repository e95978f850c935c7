// Test helpers for flows on the real broker, registry and the sandboxes (test files only): a
// namespace of their own with the catalog topics and groups a test names, a producer, topics read back,
// and sandboxes as processes with their admin API.
export { TestMessaging, type TestMessagingOptions, type CollectedEvent } from './test-messaging.js';
export {
  SandboxProcess,
  TEST_SANDBOX_ADMIN_TOKEN,
  type SandboxSystem,
  type LedgerEntry,
} from './sandbox-process.js';
