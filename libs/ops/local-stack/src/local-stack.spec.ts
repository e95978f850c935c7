import { describe, expect, it } from 'vitest';
import { LocalStack } from './local-stack.js';
import { loadStackConfig } from './stack-config.js';

describe('LocalStack component control', () => {
  it('refuses to stop or start a part the environment names as external', async () => {
    const stack = new LocalStack(
      loadStackConfig({
        KAFKA_BROKERS: '127.0.0.1:1',
        SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1',
        DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db',
      }),
    );
    await expect(stack.stopComponent('kafka', { kill: true })).rejects.toThrow(/not an embedded part/);
    await expect(stack.startComponent('postgres')).rejects.toThrow(/not an embedded part/);
  });

  it('reports a stopped embedded part as not running', async () => {
    const stack = new LocalStack(
      loadStackConfig({ PX3_STACK_HOME: '.stack-unit-never-started', PX3_PORT_OFFSET: '40000' }),
    );
    await expect(stack.stopComponent('schema-registry')).resolves.toBe('not-running');
    await expect(stack.stopComponent('kafka', { kill: true })).resolves.toBe('not-running');
  });
});
