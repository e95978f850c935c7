import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ContainerEngineUnavailableError, startContainerStack } from './container-stack.js';

/** Where testcontainers would find an engine; on such a machine this path cannot be exercised. */
const engineConfigured = process.env['DOCKER_HOST'] !== undefined || existsSync('/var/run/docker.sock');

describe('startContainerStack (PX3_TESTCONTAINERS=1)', () => {
  it.skipIf(engineConfigured)(
    'says clearly that no container engine answers, and how to run without one',
    async () => {
      const lines: string[] = [];
      const error = await startContainerStack((line) => lines.push(line)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContainerEngineUnavailableError);
      expect((error as Error).message).toMatch(
        /^PX3_TESTCONTAINERS=1 asks for Kafka, the schema registry and PostgreSQL in containers, but no container engine answers \(.+\)\. Start Docker \(or set DOCKER_HOST\), or unset PX3_TESTCONTAINERS/,
      );
      // Nothing was started, so nothing is left to stop.
      expect(lines).toEqual([]);
    },
    60_000,
  );
});
