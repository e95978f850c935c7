import { describe, it } from 'vitest';
import {
  confluentModuleSpecifier,
  createTestDriver,
  testLogger,
} from './support/messaging-test-environment.js';
import { describeDriverContract } from './support/driver-contract.js';

// @confluentinc/kafka-javascript is not a dependency of the repository (its native addon is built,
// not downloaded, here): the same contract runs when it was built on this machine (docs/messaging.md).
const specifier = confluentModuleSpecifier();
if (specifier) {
  describeDriverContract('confluent', () =>
    createTestDriver('confluent', 'contract-confluent', testLogger()),
  );
} else {
  describe('the confluent driver', () => {
    it.skip('runs the driver contract once @confluentinc/kafka-javascript is built (set PX3_CONFLUENT_KAFKA_MODULE)', () =>
      undefined);
  });
}
