import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CustomerObservation, GoldenCustomer } from '../customer/customer.types.js';
import { matchKeysForGolden } from '../matching/customer.matcher.js';
import { parseMatchingPolicy } from '../matching/matching-policy.parser.js';
import { parseSurvivorshipPolicy } from '../survivorship/survivorship-policy.parser.js';
import {
  candidateKeys,
  decideObservation,
  withLearntCrossReference,
  type ObservationDecision,
  type ObservationToMaster,
  type SourceRecord,
} from './observation-mastering.js';

const config = (file: string) =>
  readFileSync(new URL(`../../../../../config/${file}`, import.meta.url), 'utf8');
const policies = {
  matching: parseMatchingPolicy(config('matching.yaml'), 'config/matching.yaml'),
  survivorship: parseSurvivorshipPolicy(config('survivorship.yaml'), 'config/survivorship.yaml'),
};

/** What the mdm store does around decideObservation: source records and golden records by key. */
class Store {
  readonly goldens = new Map<string, GoldenCustomer>();
  readonly sources = new Map<string, SourceRecord>();
  private sequence = 0;

  master(observation: CustomerObservation, deleted = false): ObservationDecision {
    const item: ObservationToMaster = { observation, deleted, links: [] };
    const ref = `${observation.sourceSystem}:${observation.sourceEntity}:${observation.sourceId}`;
    const previous = this.sources.get(ref);
    const keys = new Set(candidateKeys(item, previous, policies.matching));
    const candidates = [...this.goldens.values()].filter((g) =>
      matchKeysForGolden(g, policies.matching).some((key) => keys.has(key)),
    );
    const decision = decideObservation({
      ...item,
      previous,
      candidates,
      policies,
      newGoldenId: () => `gc-${++this.sequence}`,
    });
    for (const id of decision.retiredGoldenIds) this.goldens.delete(id);
    if (decision.golden && decision.goldenState === 'active')
      this.goldens.set(decision.golden.goldenId, decision.golden);
    if (decision.golden && decision.goldenState === 'deleted') this.goldens.delete(decision.golden.goldenId);
    if (decision.sourceRecord) this.sources.set(ref, decision.sourceRecord);
    return decision;
  }

  only(): GoldenCustomer {
    const all = [...this.goldens.values()];
    if (all.length !== 1) throw new Error(`expected one golden record, found ${all.length}`);
    return all[0] as GoldenCustomer;
  }
}

const x3: CustomerObservation = {
  sourceSystem: 'X3',
  sourceEntity: 'BPCUSTOMER',
  sourceId: 'C000123',
  observedAt: Date.parse('2026-11-01T09:00:00Z'),
  customerCode: 'C000123',
  companyName: 'Acme Industrie SARL',
  email: 'jane.doe@acme-industrie.fr',
  phone: '+33142685300',
};
const lead: CustomerObservation = {
  sourceSystem: 'SALESFORCE',
  sourceEntity: 'Lead',
  sourceId: '00Q5g00000Ab12CEAR',
  observedAt: Date.parse('2026-11-02T10:00:00Z'),
  email: 'Jane.Doe@acme-industrie.fr',
  firstName: 'Jane',
};

describe('decideObservation: one observation against what mdm knows', () => {
  it('creates, then publishes a new version only when a value or a cross-reference changes', () => {
    const store = new Store();
    const created = store.master(x3);
    expect(created).toMatchObject({ action: 'create', publish: true, golden: { version: 1 } });

    const attached = store.master(lead);
    expect(attached).toMatchObject({ action: 'update', publish: true, golden: { version: 2 } });
    expect(attached.golden?.xrefs.salesforceLeadIds).toEqual(['00Q5g00000Ab12CEAR']);

    const changed = store.master({ ...x3, observedAt: x3.observedAt + 60_000, phone: '+33142685301' });
    expect(changed).toMatchObject({ action: 'update', publish: true, golden: { version: 3 } });
  });

  it('an observation that changes no value (the same values, later) publishes nothing', () => {
    const store = new Store();
    store.master(x3);
    const before = store.only();
    const again = store.master({ ...x3, observedAt: x3.observedAt + 3_600_000 });
    expect(again.publish).toBe(false);
    expect(again.golden?.version ?? before.version).toBe(before.version);
    // The source record's newer time is remembered (an older version arriving later is stale).
    expect(again.sourceRecord?.state.observedAt).toBe(x3.observedAt + 3_600_000);
    expect(store.master({ ...x3, observedAt: x3.observedAt + 1, phone: '+33100000000' }).action).toBe(
      'stale',
    );
  });

  it('a value seen again from another record is no new version (provenance is kept silently)', () => {
    const store = new Store();
    store.master(x3);
    store.master(lead);
    const version = store.only().version;
    const echo = store.master({ ...lead, observedAt: lead.observedAt + 60_000, phone: '+33142685300' });
    expect(echo.publish).toBe(false);
    expect(store.only().version).toBe(version);
    expect(store.only().phone).toBe('+33142685300');
  });

  it('a merge names the rule that joined the records', () => {
    const store = new Store();
    store.master({ ...x3, email: null });
    store.master({ ...lead, email: 'other@acme-industrie.fr' });
    expect(store.goldens.size).toBe(2);
    const joined = store.master({
      ...x3,
      observedAt: x3.observedAt + 86_400_000,
      email: 'other@acme-industrie.fr',
    });
    expect(joined.action).toBe('merge');
    expect(joined.publish).toBe(true);
    expect(joined.mergeEvents.map((e) => e.matchRules)).toEqual([['normalised-email']]);
  });

  it('a deleted source record leaves its golden record; the last one retires it', () => {
    const store = new Store();
    store.master(x3);
    store.master(lead);
    const goldenId = store.only().goldenId;
    const leadGone = store.master({ ...lead, observedAt: lead.observedAt + 1_000 }, true);
    expect(leadGone).toMatchObject({ action: 'deleted', publish: true, goldenState: 'active' });
    expect(store.only().xrefs.salesforceLeadIds).toEqual([]);
    const x3Gone = store.master({ ...x3, observedAt: x3.observedAt + 1_000 }, true);
    expect(x3Gone).toMatchObject({ action: 'deleted', publish: false, goldenState: 'deleted' });
    expect(x3Gone.golden?.goldenId).toBe(goldenId);
    expect(store.goldens.size).toBe(0);
    expect(store.master({ ...x3, observedAt: x3.observedAt + 2_000 }, true).action).toBe('ignored');
  });
});

describe('withLearntCrossReference', () => {
  it('adds an id learnt from our own write under the same version, once', () => {
    const store = new Store();
    store.master(x3);
    const golden = store.only();
    const link = { system: 'PARDOT', entity: 'Prospect', sourceId: '100001' } as const;
    const linked = withLearntCrossReference(golden, link);
    expect(linked?.version).toBe(golden.version);
    expect(linked?.xrefs.pardotProspectIds).toEqual(['100001']);
    expect(linked && withLearntCrossReference(linked, link)).toBeUndefined();
  });
});
