import { TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import { InvalidMessageError } from '../errors/invalid-message.error.js';
import { AvroSerde, readWireFormat, writeWireFormat } from './avro-serde.js';
import { SchemaRegistryClient } from './schema-registry-client.js';

describe('AvroSerde.validate', () => {
  // Validation needs no registry: nothing is sent when a value is invalid.
  const serde = new AvroSerde(new SchemaRegistryClient({ url: 'http://127.0.0.1:1' }));

  it('names each field that breaks the schema and what it expected, never the value', () => {
    const value = {
      sourceSystem: 'SAP',
      sourceEntity: 'BPCUSTOMER',
      sourceId: 7,
      email: 'jane@acme.example',
    } as unknown as CustomerObservation;
    let error: unknown;
    try {
      serde.validate(TOPICS.customerObservationRecordedV1.value, value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidMessageError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /sourceSystem: expected one of X3, SALESFORCE, PARDOT, got a string of 3 characters/,
    );
    expect(message).toMatch(/observedAt: expected a Date, got undefined/);
    expect(message).toMatch(/sourceId: expected string, got number/);
    expect(message).not.toContain('jane@acme.example');
  });
});

describe('the Confluent wire format', () => {
  it('is magic byte 0, a 4-byte schema id and the Avro payload', () => {
    const bytes = writeWireFormat(258, Buffer.from([9, 9]));
    expect([...bytes]).toEqual([0, 0, 0, 1, 2, 9, 9]);
    expect(readWireFormat(bytes)).toEqual({ schemaId: 258, payload: Buffer.from([9, 9]) });
  });

  it('rejects anything else as an invalid message', () => {
    expect(() => readWireFormat(Buffer.from('{"json":true}'))).toThrow(InvalidMessageError);
    expect(() => readWireFormat(Buffer.from([0, 1]))).toThrow(/2 bytes/);
  });
});
