import avro from 'avsc';

/**
 * Decodes a Kafka value the way any third-party consumer would: Confluent wire format read by hand,
 * the writer schema fetched from the registry's HTTP API (`GET /schemas/ids/{id}`), plain avsc with no
 * project code and no logical types (timestamps stay epoch milliseconds, dates days, decimals bytes).
 */
export async function decodeIndependently(
  registryUrl: string,
  bytes: Buffer,
): Promise<{ schemaId: number; schema: Record<string, unknown>; value: Record<string, unknown> }> {
  if (bytes.length < 5 || bytes.readUInt8(0) !== 0) throw new Error('not Confluent wire format');
  const schemaId = bytes.readInt32BE(1);
  const response = await fetch(`${registryUrl}/schemas/ids/${schemaId}`);
  if (!response.ok) throw new Error(`registry answered ${response.status} for schema ${schemaId}`);
  const { schema } = (await response.json()) as { schema: string };
  const parsed = JSON.parse(schema) as Record<string, unknown>;
  const type = avro.Type.forSchema(parsed as avro.Schema);
  return { schemaId, schema: parsed, value: type.fromBuffer(bytes.subarray(5)) as Record<string, unknown> };
}

/** A big-endian two's complement Avro decimal, as the unscaled integer. */
export function unscaledDecimal(bytes: Buffer): bigint {
  const unsigned = BigInt(`0x${bytes.toString('hex') || '0'}`);
  return (bytes.readUInt8(0) & 0x80) !== 0 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}
