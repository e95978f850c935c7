import { createTestDriver, testLogger } from './support/messaging-test-environment.js';
import { describeDriverContract } from './support/driver-contract.js';

describeDriverContract('platformatic', () =>
  createTestDriver('platformatic', 'contract-platformatic', testLogger()),
);
