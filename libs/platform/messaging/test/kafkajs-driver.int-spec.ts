import { createTestDriver, testLogger } from './support/messaging-test-environment.js';
import { describeDriverContract } from './support/driver-contract.js';

describeDriverContract('kafkajs', () => createTestDriver('kafkajs', 'contract-kafkajs', testLogger()));
