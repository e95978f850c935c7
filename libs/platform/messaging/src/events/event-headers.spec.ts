import { describe, expect, it } from 'vitest';
import {
  eventHeaders,
  readEventMetadata,
  TRANSPORT_HEADERS,
  withoutTransportHeaders,
} from './event-headers.js';

const toBuffers = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));

describe('event headers', () => {
  it('round-trip the metadata in CloudEvents binary mode', () => {
    const metadata = {
      eventId: '0193a7c2-6f6e-7c1a-9a55-3b1f0c2d4e5f',
      type: 'pardotx3.sales.order.requested.v1',
      source: 'urn:pardot-x3:transformer',
      time: new Date('2026-11-26T10:00:00.000Z'),
      subject: '006000000000AAAA',
      correlationId: 'flow-1',
      causationId: 'cause-1',
    };
    const headers = eventHeaders(metadata);
    expect(headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: metadata.eventId,
      ce_time: '2026-11-26T10:00:00.000Z',
      'content-type': 'application/avro',
    });
    expect(readEventMetadata(toBuffers(headers), 'fallback', 0)).toEqual(metadata);
  });

  it('fall back to a stable id and the Kafka timestamp for messages from outside pardot-x3', () => {
    const metadata = readEventMetadata({}, 'derived-id', Date.parse('2026-01-02T03:04:05.000Z'));
    expect(metadata).toMatchObject({ eventId: 'derived-id', correlationId: 'derived-id', type: 'unknown' });
    expect(metadata.time.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('drop retry bookkeeping from copies but keep the reply address and the replay id', () => {
    const headers = toBuffers({
      ce_id: 'x',
      [TRANSPORT_HEADERS.attempt]: '3',
      [TRANSPORT_HEADERS.retryAt]: '1',
      [TRANSPORT_HEADERS.replyTo]: 'r',
      [TRANSPORT_HEADERS.replayId]: 'p',
    });
    expect(Object.keys(withoutTransportHeaders(headers)).sort()).toEqual(
      ['ce_id', TRANSPORT_HEADERS.replayId, TRANSPORT_HEADERS.replyTo].sort(),
    );
  });
});
