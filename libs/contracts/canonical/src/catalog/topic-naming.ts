/**
 * Naming rules of topics and consumer groups (docs/decisions/0011-retry-dead-letter-and-replay-topics.md).
 * Self-contained on purpose: the code generator loads this file directly.
 *
 *   event topic       <domain>.<entity>.<event>.v<N>        customer.observation.recorded.v1
 *   consumer group    <service>.<purpose>                   mdm.customer-mastering
 *   replay            <topic>.replay                        read by every group of <topic>
 *   retry level n     <group>.retry.<n>                     one group's delayed re-deliveries
 *   redrive           <group>.redrive                       one group's re-driven dead letters
 *   dead letters      <group>.dlq                           one group's parked messages
 *
 * Retry, redrive and dead-letter topics belong to one consumer group, so a failure in one group is
 * re-delivered to that group only. Every name may be prefixed with an environment namespace
 * (PX3_TOPIC_NAMESPACE, e.g. "staging.").
 */

const WORD = '[a-z0-9]+(?:-[a-z0-9]+)*';
export const EVENT_TOPIC_PATTERN = new RegExp(`^${WORD}\\.${WORD}\\.${WORD}\\.v[1-9][0-9]*$`);
export const CONSUMER_GROUP_PATTERN = new RegExp(`^${WORD}\\.${WORD}$`);
export const NAMESPACE_PATTERN = /^$|^[a-z0-9][a-z0-9.-]*\.$/;

export const REPLAY_SUFFIX = '.replay';
export const RETRY_INFIX = '.retry.';
export const REDRIVE_SUFFIX = '.redrive';
export const DEAD_LETTER_SUFFIX = '.dlq';

export function replayTopicName(topic: string): string {
  return `${topic}${REPLAY_SUFFIX}`;
}

/** Retry level `level` (from 1) of a consumer group. */
export function retryTopicName(group: string, level: number): string {
  if (!Number.isInteger(level) || level < 1)
    throw new Error(`retry level must be a whole number from 1, got ${level}`);
  return `${group}${RETRY_INFIX}${level}`;
}

export function redriveTopicName(group: string): string {
  return `${group}${REDRIVE_SUFFIX}`;
}

export function deadLetterTopicName(group: string): string {
  return `${group}${DEAD_LETTER_SUFFIX}`;
}

/** Subject of a topic's value schema under TopicNameStrategy. */
export function valueSubjectName(topic: string): string {
  return `${topic}-value`;
}

/** What a (namespace-free) topic name is. */
export type TopicRole =
  | { readonly role: 'event'; readonly topic: string }
  | { readonly role: 'replay'; readonly topic: string }
  | { readonly role: 'retry'; readonly group: string; readonly level: number }
  | { readonly role: 'redrive'; readonly group: string }
  | { readonly role: 'dead-letter'; readonly group: string }
  | { readonly role: 'other'; readonly topic: string };

export function classifyTopic(name: string): TopicRole {
  if (name.endsWith(REPLAY_SUFFIX)) return { role: 'replay', topic: name.slice(0, -REPLAY_SUFFIX.length) };
  if (name.endsWith(REDRIVE_SUFFIX)) return { role: 'redrive', group: name.slice(0, -REDRIVE_SUFFIX.length) };
  if (name.endsWith(DEAD_LETTER_SUFFIX))
    return { role: 'dead-letter', group: name.slice(0, -DEAD_LETTER_SUFFIX.length) };
  const retry = /^(.+)\.retry\.([1-9][0-9]*)$/.exec(name);
  if (retry?.[1] && retry[2]) return { role: 'retry', group: retry[1], level: Number(retry[2]) };
  if (EVENT_TOPIC_PATTERN.test(name)) return { role: 'event', topic: name };
  return { role: 'other', topic: name };
}
