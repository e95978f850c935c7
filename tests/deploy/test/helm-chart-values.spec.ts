import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHART_DIR,
  CHART_MINIMAL_VALUES,
  TOOL_INSTALL_TIMEOUT_MS,
  ensureDeployTools,
  renderChartResult,
  runTool,
  type ChartOverrides,
  type DeployTools,
} from '../src/index.js';

let tools: DeployTools;

beforeAll(async () => {
  tools = await ensureDeployTools();
}, TOOL_INSTALL_TIMEOUT_MS);

describe('values documentation', () => {
  it('documents every value, and the README parameters table is the one generated from values.yaml', async () => {
    const require = createRequire(import.meta.url);
    const generator = join(
      dirname(require.resolve('@bitnami/readme-generator-for-helm/package.json')),
      'bin',
      'index.js',
    );
    const readme = join(mkdtempSync(join(tmpdir(), 'px3-readme-')), 'README.md');
    copyFileSync(join(CHART_DIR, 'README.md'), readme);
    // The generator fails on a value without `## @param` metadata and on metadata without a value.
    const result = await runTool(process.execPath, [
      generator,
      '--values',
      join(CHART_DIR, 'values.yaml'),
      '--readme',
      readme,
    ]);
    expect(result.stdout + result.stderr).toContain('Metadata is correct!');
    expect(result.code).toBe(0);
    expect(
      readFileSync(readme, 'utf8'),
      'regenerate with: npx readme-generator -v helm/pardot-x3/values.yaml -r helm/pardot-x3/README.md',
    ).toBe(readFileSync(join(CHART_DIR, 'README.md'), 'utf8'));
  });
});

describe('bad values get a clear error before anything is installed', () => {
  const cases: [string, ChartOverrides, RegExp][] = [
    [
      'a misspelt key',
      { 'kafka.broker': 'kafka:9092' },
      /at '\/kafka': additional properties 'broker' not allowed/,
    ],
    [
      'a broker list that is not host:port',
      { 'kafka.brokers': 'kafka 9092' },
      /at '\/kafka\/brokers': 'kafka 9092' does not match pattern/,
    ],
    ['an unknown log level', { logLevel: 'verbose' }, /at '\/logLevel': value must be one of/],
    ['a topic namespace without its final dot', { topicNamespace: 'staging' }, /at '\/topicNamespace'/],
    [
      'a registry URL without a scheme',
      { 'schemaRegistry.url': 'registry:8080' },
      /at '\/schemaRegistry\/url'/,
    ],
    ['a malformed image digest', { 'image.digest': 'latest' }, /at '\/image\/digest'/],
    [
      'an unknown service',
      { 'services.crm-writer.enabled': true },
      /additional properties 'crm-writer' not allowed/,
    ],
    [
      'an unknown connector',
      { 'services.mdm.connectors[0]': 'hubspot' },
      /at '\/services\/mdm\/connectors\/0'/,
    ],
    [
      'no grace between SIGTERM and SIGKILL',
      { terminationGraceExtraSeconds: 0 },
      /at '\/terminationGraceExtraSeconds': minimum/,
    ],
    [
      'a SASL mechanism without a user',
      { 'kafka.sasl.mechanism': 'scram-sha-512' },
      /kafka\.sasl\.username is required when kafka\.sasl\.mechanism is set/,
    ],
    [
      'a chart-created Secret missing a key a service reads',
      { 'secrets.existingSecret': '', 'secrets.values.database-url': 'postgres://u:p@db:5432/px3' },
      /secrets\.values\.salesforce-private-key is required: SALESFORCE_PRIVATE_KEY of service \S+ reads it/,
    ],
    [
      'a database URL beside an existing Secret (which one would win?)',
      { 'database.url': 'postgres://u:p@db:5432/px3' },
      /database\.url cannot be used with secrets\.existingSecret: put the URL in that Secret \(key database-url\)/,
    ],
    [
      'a database URL that is not PostgreSQL',
      { 'secrets.existingSecret': '', 'database.url': 'mysql://u:p@db/px3' },
      /at '\/database\/url'/,
    ],
    [
      'no URL for a system, and no sandbox',
      { 'connectors.x3.baseUrl': '' },
      /connectors\.x3 URL is required \(or set sandboxes\.enabled=true for a demo install\)/,
    ],
  ];

  it.each(cases)('%s', async (_name, overrides, message) => {
    const result = await renderChartResult(tools, [CHART_MINIMAL_VALUES], overrides);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('the same values without the mistake render (the cases above fail for their own reason)', async () => {
    const result = await renderChartResult(tools, [CHART_MINIMAL_VALUES], {
      'kafka.brokers': 'kafka:9092',
      logLevel: 'debug',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
