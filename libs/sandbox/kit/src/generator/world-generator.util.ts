import { validPhoneNumber } from './phone-number.util.js';
import { SeededRandom } from './seeded-random.util.js';
import {
  CAMPAIGNS,
  CITIES,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  CURRENCY_BY_COUNTRY,
  FIRST_NAMES,
  INDUSTRIES,
  LAST_NAMES,
  OPPORTUNITY_STAGES,
  PRODUCT_ADJECTIVES,
  PRODUCT_FAMILIES,
  TITLES,
  VISITOR_ACTIVITY_TYPES,
  WORLD_SITES,
  type CityVocabulary,
} from './world-vocabulary.constants.js';
import type {
  ResolvedWorldCounts,
  World,
  WorldAddress,
  WorldCompany,
  WorldCountry,
  WorldCounts,
  WorldOpportunity,
  WorldPerson,
  WorldProduct,
  WorldStock,
  WorldVisitorActivity,
} from './world.types.js';

export const DEFAULT_WORLD_COUNTS: ResolvedWorldCounts = {
  companies: 20,
  contacts: 40,
  leads: 20,
  products: 30,
  sites: 2,
  opportunities: 15,
  visitorActivities: 200,
};

/** The largest count of any one kind a world accepts (the sandboxes keep everything in memory). */
export const MAX_WORLD_COUNT = 200_000;

/** Dates in a world are relative to this instant unless `referenceDate` is given. */
export const DEFAULT_WORLD_REFERENCE_DATE = '2026-11-01T00:00:00.000Z';

export interface GenerateWorldOptions {
  readonly referenceDate?: Date;
}

const DAY_MS = 86_400_000;

/** Applies the defaults and checks each count; throws a RangeError naming the bad field. */
export function resolveWorldCounts(counts: WorldCounts = {}): ResolvedWorldCounts {
  const resolved = { ...DEFAULT_WORLD_COUNTS };
  for (const key of Object.keys(DEFAULT_WORLD_COUNTS) as (keyof ResolvedWorldCounts)[]) {
    const value = counts[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > MAX_WORLD_COUNT) {
      throw new RangeError(
        `counts.${key} must be a whole number from 0 to ${MAX_WORLD_COUNT}, got ${JSON.stringify(value)}`,
      );
    }
    resolved[key] = value;
  }
  const unknown = Object.keys(counts).filter((k) => !(k in DEFAULT_WORLD_COUNTS));
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown count ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${Object.keys(DEFAULT_WORLD_COUNTS).join(', ')}`,
    );
  }
  if (resolved.sites > WORLD_SITES.length)
    throw new RangeError(`counts.sites must be at most ${WORLD_SITES.length}, got ${resolved.sites}`);
  if (resolved.contacts > 0 && resolved.companies === 0)
    throw new RangeError('counts.contacts needs at least one company');
  if (resolved.opportunities > 0 && (resolved.companies === 0 || resolved.products === 0)) {
    throw new RangeError('counts.opportunities needs at least one company and one product');
  }
  if (resolved.visitorActivities > 0 && resolved.contacts + resolved.leads === 0) {
    throw new RangeError('counts.visitorActivities needs at least one contact or lead');
  }
  return resolved;
}

/**
 * Generates the world for a seed: the same seed and counts give the same world on every machine.
 * Each kind of record has its own random stream, so changing one count leaves the other kinds as
 * they were (more products do not rename the people).
 */
export function generateWorld(
  seed: number,
  counts: WorldCounts = {},
  options: GenerateWorldOptions = {},
): World {
  const resolved = resolveWorldCounts(counts);
  const root = new SeededRandom(seed);
  const reference = options.referenceDate ?? new Date(DEFAULT_WORLD_REFERENCE_DATE);
  if (Number.isNaN(reference.getTime())) throw new RangeError('referenceDate is not a valid date');
  const refMs = reference.getTime();
  const pastDate = (rng: SeededRandom, maxDays: number): string =>
    new Date(refMs - rng.int(1, maxDays) * DAY_MS - rng.int(0, DAY_MS / 1000 - 1) * 1000).toISOString();

  const companies = generateCompanies(root.fork('companies'), resolved.companies, pastDate);
  const people = generatePeople(root.fork('people'), resolved, companies, pastDate);
  const products = generateProducts(root.fork('products'), resolved.products, pastDate);
  const sites = WORLD_SITES.slice(0, resolved.sites);
  const stock = generateStock(
    root.fork('stock'),
    products,
    sites.map((s) => s.code),
  );
  const opportunities = generateOpportunities(
    root.fork('opportunities'),
    resolved.opportunities,
    companies,
    people,
    products,
    refMs,
  );
  const visitorActivities = generateVisitorActivities(
    root.fork('visitor-activities'),
    resolved.visitorActivities,
    people,
    pastDate,
  );

  return {
    seed: root.seed,
    referenceDate: reference.toISOString(),
    counts: resolved,
    companies,
    people,
    products,
    sites,
    stock,
    opportunities,
    visitorActivities,
  };
}

type PastDate = (rng: SeededRandom, maxDays: number) => string;

function generateCompanies(rng: SeededRandom, count: number, pastDate: PastDate): WorldCompany[] {
  const names = new Set<string>();
  const out: WorldCompany[] = [];
  for (let i = 0; i < count; i++) {
    const name = uniqueName(rng, names);
    const city = rng.pick(CITIES);
    const domain = `${slug(name)}.example`;
    const employees = rng.int(5, 2_500);
    const annualRevenue = Math.round((employees * rng.int(60_000, 250_000)) / 1000) * 1000;
    out.push({
      key: `company-${pad(i + 1, 4)}`,
      customerCode: `C${pad(i + 1, 5)}`,
      name,
      industry: rng.pick(INDUSTRIES),
      website: `https://www.${domain}`,
      domain,
      phone: validPhoneNumber(rng, city.country),
      address: address(rng, city),
      currency: CURRENCY_BY_COUNTRY[city.country],
      employees,
      annualRevenue,
      creditLimit: Math.max(5_000, Math.round((annualRevenue * 0.002) / 1000) * 1000),
      // Every tenth company, starting with the fourth, is on credit hold: tests and demos can rely on it.
      creditHold: i % 10 === 3,
      createdAt: pastDate(rng, 1_500),
    });
  }
  return out;
}

function generatePeople(
  rng: SeededRandom,
  counts: ResolvedWorldCounts,
  companies: readonly WorldCompany[],
  pastDate: PastDate,
): WorldPerson[] {
  const emails = new Set<string>();
  const leadCompanyNames = new Set<string>(companies.map((c) => c.name));
  const out: WorldPerson[] = [];
  const total = counts.contacts + counts.leads;
  for (let i = 0; i < total; i++) {
    const kind = i < counts.contacts ? 'contact' : 'lead';
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    // Contacts go round the companies so every company has one before any has two.
    const company = kind === 'contact' ? companies[i % companies.length] : undefined;
    const companyName = company ? company.name : uniqueName(rng, leadCompanyNames);
    const domain = company ? company.domain : `${slug(companyName)}.example`;
    const city = company
      ? (CITIES.find((c) => c.city === company.address.city) ?? rng.pick(CITIES))
      : rng.pick(CITIES);
    const local = `${slug(firstName, '')}.${slug(lastName, '')}`;
    let email = `${local}@${domain}`;
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
    emails.add(email);
    out.push({
      key: `person-${pad(i + 1, 5)}`,
      kind,
      firstName,
      lastName,
      email,
      phone: validPhoneNumber(rng, city.country),
      title: rng.pick(TITLES),
      companyKey: company?.key,
      companyName,
      address: company ? company.address : address(rng, city),
      score: rng.int(0, 300),
      createdAt: pastDate(rng, 900),
    });
  }
  return out;
}

function generateProducts(rng: SeededRandom, count: number, pastDate: PastDate): WorldProduct[] {
  const out: WorldProduct[] = [];
  const perFamily = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const family = PRODUCT_FAMILIES[i % PRODUCT_FAMILIES.length] as (typeof PRODUCT_FAMILIES)[number];
    const n = (perFamily.get(family.prefix) ?? 0) + 1;
    perFamily.set(family.prefix, n);
    const [minPrice, maxPrice] = family.priceRange;
    const [minWeight, maxWeight] = family.weightRange;
    out.push({
      code: `${family.prefix}-${1000 + n}`,
      name: `${rng.pick(PRODUCT_ADJECTIVES)} ${rng.pick(family.nouns)} ${n}`,
      family: family.family,
      price: rng.float(minPrice, maxPrice, 2),
      currency: 'EUR',
      unit: 'UN',
      weightKg: rng.float(minWeight, maxWeight, 2),
      ean: ean13(`${400 + (i % 40)}${rng.chars(9, '0123456789')}`),
      createdAt: pastDate(rng, 2_000),
    });
  }
  return out;
}

function generateStock(
  rng: SeededRandom,
  products: readonly WorldProduct[],
  sites: readonly string[],
): WorldStock[] {
  const out: WorldStock[] = [];
  for (const product of products) {
    for (const site of sites) {
      const onHand = product.family === 'Services' || rng.chance(0.08) ? 0 : rng.int(5, 400);
      out.push({ productCode: product.code, site, onHand, allocated: rng.int(0, Math.min(onHand, 25)) });
    }
  }
  return out;
}

function generateOpportunities(
  rng: SeededRandom,
  count: number,
  companies: readonly WorldCompany[],
  people: readonly WorldPerson[],
  products: readonly WorldProduct[],
  refMs: number,
): WorldOpportunity[] {
  const firstContact = new Map<string, string>();
  for (const p of people)
    if (p.companyKey && !firstContact.has(p.companyKey)) firstContact.set(p.companyKey, p.key);
  const out: WorldOpportunity[] = [];
  for (let i = 0; i < count; i++) {
    const company = rng.pick(companies);
    const chosen = rng.shuffle(products).slice(0, rng.int(1, Math.min(4, products.length)));
    const lines = chosen.map((p) => ({ productCode: p.code, quantity: rng.int(1, 20), unitPrice: p.price }));
    const amount = Math.round(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) * 100) / 100;
    const stage = rng.pick(OPPORTUNITY_STAGES);
    const closeOffsetDays = stage.startsWith('Closed') ? -rng.int(1, 180) : rng.int(7, 120);
    out.push({
      key: `opportunity-${pad(i + 1, 4)}`,
      companyKey: company.key,
      contactKey: firstContact.get(company.key),
      name: `${company.name} - ${chosen[0]?.family ?? 'Order'} ${new Date(refMs).getUTCFullYear()}`,
      stage,
      closeDate: new Date(refMs + closeOffsetDays * DAY_MS).toISOString().slice(0, 10),
      currency: 'EUR',
      amount,
      lines,
    });
  }
  return out;
}

function generateVisitorActivities(
  rng: SeededRandom,
  count: number,
  people: readonly WorldPerson[],
  pastDate: PastDate,
): WorldVisitorActivity[] {
  const drafts = [];
  for (let i = 0; i < count; i++) {
    const person = rng.pick(people);
    const kind = rng.pick(VISITOR_ACTIVITY_TYPES);
    drafts.push({
      personKey: person.key,
      type: kind.type,
      typeName: kind.typeName,
      details: rng.pick(kind.details),
      campaignName: rng.pick(CAMPAIGNS),
      createdAt: pastDate(rng, 120),
    });
  }
  // Ids increase with time, as they do in Pardot.
  drafts.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return drafts.map((d, i) => ({ id: 1_000 + i + 1, ...d }));
}

function uniqueName(rng: SeededRandom, taken: Set<string>): string {
  let name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)}`;
  for (let attempt = 0; taken.has(name) && attempt < 20; attempt++) {
    name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)}`;
  }
  const base = name;
  for (let n = 2; taken.has(name); n++) name = `${base} ${n}`;
  taken.add(name);
  return name;
}

function address(rng: SeededRandom, city: CityVocabulary): WorldAddress {
  const number = rng.int(1, 240);
  const street = rng.pick(city.streets);
  const continental = city.country !== 'US' && city.country !== 'GB';
  return {
    street: continental ? `${street} ${number}` : `${number} ${street}`,
    city: city.city,
    postcode: postcode(rng, city.country),
    ...(city.state ? { state: city.state } : {}),
    country: city.country,
  };
}

function postcode(rng: SeededRandom, country: WorldCountry): string {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  switch (country) {
    case 'GB':
      return `${rng.chars(1, letters)}${rng.int(1, 20)} ${rng.int(1, 9)}${rng.chars(2, letters)}`;
    case 'NL':
      return `${rng.int(1000, 9999)} ${rng.chars(2, letters)}`;
    default:
      return String(rng.int(10_000, 99_899)).padStart(5, '0');
  }
}

/** Appends the EAN-13 check digit to 12 digits. */
function ean13(twelve: string): string {
  const digits = twelve.slice(0, 12).split('').map(Number);
  const sum = digits.reduce((acc, digit, i) => acc + digit * (i % 2 === 0 ? 1 : 3), 0);
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

/** Lower-case ASCII words joined by `separator`: "Amélie O'Neill" → "amelie-oneill". */
function slug(text: string, separator = '-'): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/'/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join(separator);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
