import type { TopicDefinition } from './topic-catalog.types.js';

/** Raised when a value lacks a key field: a message without its business identity cannot be ordered. */
export class MessageKeyError extends Error {
  constructor(topic: string, field: string, detail: string) {
    super(`Cannot derive the message key for ${topic}: key field "${field}" ${detail}`);
    this.name = 'MessageKeyError';
  }
}

/** Encodes one key part so that ":" stays a separator: "%" and ":" inside a part are percent-encoded. */
function encodePart(part: string): string {
  return part.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/**
 * The message key of a value: its business identity, the topic's key fields joined with ":"
 * (e.g. `X3:BPCUSTOMER:C0001`, `ITEM-42:FR01`). Every event of one entity gets the same key, hence the
 * same partition, hence per-entity order.
 */
export function messageKeyOf<V>(topic: TopicDefinition<V>, value: V): string {
  const record = value as Readonly<Record<string, unknown>>;
  return topic.keyFields
    .map((field) => {
      const part = record[field];
      if (part === undefined || part === null) throw new MessageKeyError(topic.name, field, 'is missing');
      if (typeof part !== 'string' && typeof part !== 'number')
        throw new MessageKeyError(topic.name, field, 'is not text or a number');
      const text = String(part);
      if (text.length === 0) throw new MessageKeyError(topic.name, field, 'is empty');
      return encodePart(text);
    })
    .join(':');
}
