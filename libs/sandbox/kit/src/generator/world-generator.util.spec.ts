import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.util.js';
import { DEFAULT_WORLD_COUNTS, generateWorld, resolveWorldCounts } from './world-generator.util.js';

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    for (const v of seqA) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('draws integers inside the bounds, both included', () => {
    const rng = new SeededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.int(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
    expect(() => rng.int(3, 1)).toThrow(RangeError);
  });

  it('makes UUID-shaped ids and forks streams that do not depend on what was drawn before', () => {
    const rng = new SeededRandom(1);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const fresh = new SeededRandom(1).fork('x').next();
    rng.next();
    expect(rng.fork('x').next()).toBe(fresh);
    expect(rng.fork('y').next()).not.toBe(fresh);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => new SeededRandom(1).pick([])).toThrow(/non-empty/);
  });
});

describe('generateWorld', () => {
  it('gives the same world for the same seed and a different one for another seed', () => {
    expect(generateWorld(42)).toEqual(generateWorld(42));
    expect(generateWorld(43).people[0]?.email).not.toBe(generateWorld(42).people[0]?.email);
  });

  it('holds the requested counts, defaults for the rest', () => {
    const world = generateWorld(5, {
      companies: 3,
      contacts: 6,
      leads: 2,
      products: 4,
      sites: 2,
      opportunities: 2,
      visitorActivities: 10,
    });
    expect(world.companies).toHaveLength(3);
    expect(world.people.filter((p) => p.kind === 'contact')).toHaveLength(6);
    expect(world.people.filter((p) => p.kind === 'lead')).toHaveLength(2);
    expect(world.products).toHaveLength(4);
    expect(world.stock).toHaveLength(8);
    expect(world.opportunities).toHaveLength(2);
    expect(world.visitorActivities).toHaveLength(10);
    expect(generateWorld(5).counts).toEqual(DEFAULT_WORLD_COUNTS);
  });

  it('keeps one kind of record unchanged when another count changes', () => {
    const small = generateWorld(9, { products: 5 });
    const large = generateWorld(9, { products: 50 });
    expect(large.people).toEqual(small.people);
    expect(large.companies).toEqual(small.companies);
    expect(large.products.slice(0, 5)).toEqual(small.products);
  });

  it('links contacts to customer companies and gives every person a unique, well-formed email', () => {
    const world = generateWorld(11, { companies: 10, contacts: 30, leads: 10 });
    const companyKeys = new Set(world.companies.map((c) => c.key));
    const emails = world.people.map((p) => p.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const person of world.people) {
      expect(person.email).toMatch(/^[a-z0-9]+(\.[a-z0-9]+)+\d*@[a-z0-9-]+\.example$/);
      expect(person.address.country).toMatch(/^[A-Z]{2}$/);
      if (person.kind === 'contact') expect(companyKeys.has(person.companyKey ?? '')).toBe(true);
      else expect(person.companyKey).toBeUndefined();
    }
    // every company has at least one contact
    for (const key of companyKeys) expect(world.people.some((p) => p.companyKey === key)).toBe(true);
  });

  it('gives every company and person a phone number libphonenumber-js accepts as valid for its country', () => {
    // The 520-company world: 305 of 1,040 contacts had numbers the pipeline refused.
    for (const seed of [1, 42, 520]) {
      const world = generateWorld(seed, { companies: 520, contacts: 1_040, leads: 200 });
      const phones = [
        ...world.companies.map((c) => ({ phone: c.phone, country: c.address.country })),
        ...world.people.map((p) => ({ phone: p.phone, country: p.address.country })),
      ];
      const invalid = phones.filter(({ phone, country }) => {
        const parsed = parsePhoneNumberFromString(phone);
        return !parsed?.isValid() || parsed.country !== country;
      });
      expect(invalid).toEqual([]);
      const countries = new Set(phones.map(({ country }) => country));
      expect([...countries].sort()).toEqual(['DE', 'ES', 'FR', 'GB', 'IT', 'NL', 'US']);
      // Varied, not one example number repeated.
      expect(new Set(phones.map(({ phone }) => phone)).size).toBeGreaterThan(phones.length / 2);
    }
  });

  it('puts every tenth company (the 4th, 14th, …) on credit hold', () => {
    const world = generateWorld(3, { companies: 20 });
    expect(world.companies.filter((c) => c.creditHold).map((c) => c.customerCode)).toEqual([
      'C00004',
      'C00014',
    ]);
  });

  it('makes unique product codes, valid EAN-13 numbers and stock never over-allocated', () => {
    const world = generateWorld(21, { products: 40, sites: 3 });
    expect(new Set(world.products.map((p) => p.code)).size).toBe(40);
    for (const p of world.products) {
      const digits = p.ean.split('').map(Number);
      const sum = digits.slice(0, 12).reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
      expect((10 - (sum % 10)) % 10).toBe(digits[12]);
    }
    for (const s of world.stock) expect(s.allocated).toBeLessThanOrEqual(s.onHand);
    expect(new Set(world.stock.map((s) => s.site))).toEqual(new Set(['FR011', 'US011', 'DE011']));
  });

  it('prices opportunity lines from the product list and sums them into the amount', () => {
    const world = generateWorld(8);
    const prices = new Map(world.products.map((p) => [p.code, p.price]));
    for (const o of world.opportunities) {
      expect(o.lines.length).toBeGreaterThan(0);
      for (const l of o.lines) expect(l.unitPrice).toBe(prices.get(l.productCode));
      expect(o.amount).toBeCloseTo(
        o.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0),
        2,
      );
    }
  });

  it('numbers visitor activities in time order', () => {
    const acts = generateWorld(4).visitorActivities;
    for (let i = 1; i < acts.length; i++) {
      expect((acts[i] as { id: number }).id).toBeGreaterThan((acts[i - 1] as { id: number }).id);
      expect(
        (acts[i] as { createdAt: string }).createdAt >= (acts[i - 1] as { createdAt: string }).createdAt,
      ).toBe(true);
    }
  });

  it('rejects counts it cannot honour with a message naming the field', () => {
    expect(() => resolveWorldCounts({ companies: -1 })).toThrow(/counts\.companies must be a whole number/);
    expect(() => resolveWorldCounts({ sites: 9 })).toThrow(/counts\.sites must be at most 4/);
    expect(() => resolveWorldCounts({ companies: 0, contacts: 3 })).toThrow(/needs at least one company/);
    expect(() => resolveWorldCounts({ widgets: 3 } as never)).toThrow(/unknown count "widgets"/);
  });
});
