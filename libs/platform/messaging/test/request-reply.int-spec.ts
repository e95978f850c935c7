import { TOPICS, type SalesOrderRequested } from '@pardot-x3/canonical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEvent, RequestTimeoutError, type ConsumerRunner, type RequestReplyClient } from '../src/index.js';
import { createdReply, salesOrderRequested } from './support/fixtures.js';
import {
  messagingTestEnvironment,
  metricValue,
  testCatalog,
  testGroup,
  type MessagingTestEnvironment,
} from './support/messaging-test-environment.js';

const requested = TOPICS.salesOrderRequestedV1;
const replied = TOPICS.salesOrderRepliedV1;
const writerGroup = testGroup('x3-order-writer.request-test', [requested]);

describe('request-reply', () => {
  let env: MessagingTestEnvironment;
  let replier: ConsumerRunner;
  let first: RequestReplyClient;
  let second: RequestReplyClient;
  const replyTopicsSeen: (string | undefined)[] = [];

  beforeAll(async () => {
    env = await messagingTestEnvironment('reqreply', testCatalog([requested, replied], [writerGroup]), {
      service: 'salesforce-ingest',
    });
    replier = env.messaging.consumer({
      group: writerGroup,
      handlers: [
        onEvent(requested, async (request: SalesOrderRequested, context) => {
          replyTopicsSeen.push(context.replyTo);
          context.reply(
            replied,
            createdReply(request.opportunityId, `SO-${request.opportunityId.slice(-4)}`),
          );
        }),
      ],
    });
    await replier.start();
    // Two replicas of the requesting service: each must get the replies to its own requests.
    first = await env.messaging.requestReply({ replyTopics: [replied], instanceId: 'a' });
    second = await env.messaging.requestReply({ replyTopics: [replied], instanceId: 'b' });
    await Promise.all([first.start(), second.start()]);
  });

  afterAll(async () => {
    await env?.close();
  });

  it('answers each requester with the reply to its request, matched by correlation', async () => {
    const [a, b] = await Promise.all([
      first.request(requested, salesOrderRequested('006000000000AAAA'), replied, {
        timeoutMs: 30_000,
        correlationId: 'flow-a',
      }),
      second.request(requested, salesOrderRequested('006000000000BBBB'), replied, {
        timeoutMs: 30_000,
        correlationId: 'flow-b',
      }),
    ]);
    expect(a.value).toMatchObject({
      opportunityId: '006000000000AAAA',
      outcome: 'CREATED',
      created: { orderNumber: 'SO-AAAA' },
    });
    expect(b.value).toMatchObject({
      opportunityId: '006000000000BBBB',
      outcome: 'CREATED',
      created: { orderNumber: 'SO-BBBB' },
    });
    // The reply's causation is the request; the flow's correlation id travels through the replier.
    expect(a.metadata.causationId).toBe(a.requestId);
    expect(a.metadata.correlationId).toBe('flow-a');
    expect(b.metadata.correlationId).toBe('flow-b');
    expect(replyTopicsSeen).toEqual([replied.name, replied.name]);
    expect(
      await metricValue(env.metrics, 'px3_request_reply_seconds_count', {
        request_topic: requested.name,
        outcome: 'replied',
      }),
    ).toBe(2);
  });

  it('times out when nobody answers, and says which request', async () => {
    await replier.stop();
    const error = await first
      .request(requested, salesOrderRequested('006000000000CCCC'), replied, { timeoutMs: 1_500 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).message).toMatch(
      /No reply to sales\.order\.requested\.v1 request [0-9a-f-]{36} within 1500 ms/,
    );
    expect(
      await metricValue(env.metrics, 'px3_request_reply_seconds_count', {
        request_topic: requested.name,
        outcome: 'timeout',
      }),
    ).toBe(1);
  });
});
