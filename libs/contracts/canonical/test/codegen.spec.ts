import { describe, expect, it } from 'vitest';
import { AvroSchemaSet, SchemaSetError, type SchemaFile } from '../codegen/avro-schema-set.ts';
import { CatalogError, compileCatalog, parseDuration } from '../codegen/catalog-compiler.ts';
import { emitAvroTypes } from '../codegen/typescript-emitter.ts';

const address: SchemaFile = {
  path: 'common/Address.avsc',
  content: JSON.stringify({
    type: 'record',
    name: 'Address',
    namespace: 'pardotx3.common',
    doc: 'An address.',
    fields: [{ name: 'city', type: ['null', 'string'], default: null, doc: 'City.' }],
  }),
};

const order: SchemaFile = {
  path: 'sales/Order.avsc',
  content: JSON.stringify({
    type: 'record',
    name: 'Order',
    namespace: 'pardotx3.sales',
    doc: 'An order.',
    fields: [
      { name: 'id', type: 'string', doc: 'Id.' },
      { name: 'billTo', type: 'pardotx3.common.Address', doc: 'Billing.' },
      { name: 'shipTo', type: ['null', 'pardotx3.common.Address'], default: null, doc: 'Shipping.' },
      {
        name: 'total',
        type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 },
        doc: 'Total.',
      },
      {
        name: 'status',
        type: { type: 'enum', name: 'Status', doc: 'Status.', symbols: ['OPEN', 'DONE'], default: 'OPEN' },
        doc: 'Status.',
      },
    ],
  }),
};

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SchemaSetError || error instanceof CatalogError) return error.problems;
    throw error;
  }
  return [];
}

describe('the schema set', () => {
  it('expands a reference to another file once, then refers to it by full name', () => {
    const set = AvroSchemaSet.load([address, order]);
    const expanded = JSON.stringify(set.expand('pardotx3.sales.Order'));
    expect(expanded.match(/"name":"Address"/g)).toHaveLength(1);
    expect(expanded).toContain('"type":["null","pardotx3.common.Address"]');
    // Logical types and enum defaults survive, unlike avsc's own export.
    expect(expanded).toContain('"logicalType":"decimal","precision":10,"scale":2');
    expect(expanded).toContain('"default":"OPEN"');
  });

  it('rejects an undocumented field and a type defined twice, listing every problem', () => {
    const undocumented: SchemaFile = {
      path: 'x/Bad.avsc',
      content: JSON.stringify({
        type: 'record',
        name: 'Bad',
        namespace: 'pardotx3.x',
        doc: 'Bad.',
        fields: [{ name: 'a', type: 'string' }],
      }),
    };
    const problems = problemsOf(() =>
      AvroSchemaSet.load([address, { ...address, path: 'copy/Address.avsc' }, undocumented]),
    );
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/pardotx3\.x\.Bad\.a: needs a "doc"/);
    expect(problems.join('\n')).toMatch(
      /pardotx3\.common\.Address is already defined in common\/Address\.avsc/,
    );
  });

  it('rejects a union that cannot be read without wrapping', () => {
    const ambiguous: SchemaFile = {
      path: 'x/Ambiguous.avsc',
      content: JSON.stringify({
        type: 'record',
        name: 'Ambiguous',
        namespace: 'pardotx3.x',
        doc: 'A.',
        fields: [{ name: 'n', type: ['int', 'long'], doc: 'N.' }],
      }),
    };
    expect(problemsOf(() => AvroSchemaSet.load([ambiguous])).join('\n')).toMatch(/ambiguous/);
  });

  it('emits read-only interfaces with null last and string unions for enums', () => {
    const source = emitAvroTypes(AvroSchemaSet.load([address, order]));
    expect(source).toContain('export interface Order {');
    expect(source).toContain('readonly shipTo: Address | null;');
    expect(source).toContain('readonly total: DecimalString;');
    expect(source).toContain("export type Status = 'OPEN' | 'DONE';");
    expect(source).toContain("export const STATUS_VALUES: readonly Status[] = ['OPEN', 'DONE'];");
  });
});

describe('the catalog compiler', () => {
  const schemas = AvroSchemaSet.load([address, order]);

  it('parses durations', () => {
    const problems: string[] = [];
    expect(parseDuration('500ms', 'x', problems)).toBe(500);
    expect(parseDuration('7d', 'x', problems)).toBe(604_800_000);
    expect(parseDuration('forever', 'x', problems)).toBe(-1);
    parseDuration('7 days', 'x', problems);
    expect(problems).toEqual(['x: "7 days" is not a duration (<n>ms|s|m|h|d or forever)']);
  });

  it('rejects a badly named topic, an unknown key field, an unknown topic and a retry longer than the retention', () => {
    const problems = problemsOf(() =>
      compileCatalog(
        {
          derived: { retry: { partitions: 3, retention: '1h' } },
          topics: {
            'Sales.Orders': { description: 'Orders.', value: 'pardotx3.sales.Order', key: ['id'] },
            'sales.order.placed.v1': {
              description: 'Orders.',
              value: 'pardotx3.sales.Order',
              key: ['orderId'],
            },
          },
          consumerGroups: {
            'x3-order-writer.orders': {
              description: 'Writes orders.',
              topics: ['sales.order.created.v1'],
              retryDelays: ['10s', '2h'],
            },
          },
        },
        schemas,
      ),
    );
    expect(problems.join('\n')).toMatch(
      /topics\.Sales\.Orders: topic names are <domain>\.<entity>\.<event>\.v<N>/,
    );
    expect(problems.join('\n')).toMatch(/key field "orderId" is not a field of pardotx3\.sales\.Order/);
    expect(problems.join('\n')).toMatch(/reads "sales\.order\.created\.v1", which is not in topics/);
    expect(problems.join('\n')).toMatch(/retryDelays\[1\]: longer than derived\.retry\.retention/);
  });

  it('applies defaults and caps min.insync.replicas at the replication factor', () => {
    const catalog = compileCatalog(
      {
        defaults: { partitions: 4, replicationFactor: 1, minInsyncReplicas: 2, retention: '3d' },
        topics: {
          'sales.order.placed.v1': {
            description: 'Orders.',
            value: 'pardotx3.sales.Order',
            key: ['id'],
            cleanup: 'compact',
            retention: 'forever',
          },
        },
        consumerGroups: {},
      },
      schemas,
    );
    expect(catalog.topics[0]).toMatchObject({
      partitions: 4,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      retentionMs: -1,
      cleanupPolicy: 'compact',
      constantKey: 'salesOrderPlacedV1',
    });
  });
});
