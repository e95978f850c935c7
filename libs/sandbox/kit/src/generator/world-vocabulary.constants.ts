import type { WorldCountry, WorldSite } from './world.types.js';

/** Words the world generator draws from. Changing a list changes every seeded world: append only. */

export const FIRST_NAMES = [
  'Jane',
  'John',
  'Amélie',
  'Lukas',
  'Sofia',
  'Liam',
  'Emma',
  'Noah',
  'Olivia',
  'Mateo',
  'Chloé',
  'Hugo',
  'Mia',
  'Leon',
  'Giulia',
  'Marco',
  'Lucía',
  'Pablo',
  'Sanne',
  'Daan',
  'Grace',
  'Oliver',
  'Ava',
  'Ethan',
  'Charlotte',
  'James',
  'Inès',
  'Jules',
  'Hannah',
  'Felix',
  'Alice',
  'Louis',
  'Elena',
  'Diego',
  'Fleur',
  'Sem',
  'Harper',
  'Henry',
  'Zoé',
  'Arthur',
  'Lea',
  'Paul',
  'Chiara',
  'Luca',
  'Carmen',
  'Javier',
  'Noor',
  'Lars',
  'Isla',
  'George',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Martin',
  'Bernard',
  'Müller',
  'Schmidt',
  'García',
  'Fernández',
  'Rossi',
  'Russo',
  'de Jong',
  'Jansen',
  'Brown',
  'Taylor',
  'Dubois',
  'Moreau',
  'Schneider',
  'Fischer',
  'López',
  'Martínez',
  'Bianchi',
  'Romano',
  'de Vries',
  'Bakker',
  'Wilson',
  'Davies',
  'Laurent',
  'Lefebvre',
  'Weber',
  'Wagner',
  'Sánchez',
  'Pérez',
  'Colombo',
  'Ricci',
  'Visser',
  'Smit',
  'Evans',
  'Thomas',
  'Roux',
  "O'Neill",
] as const;

export const TITLES = [
  'Purchasing Manager',
  'Head of Procurement',
  'Operations Director',
  'CFO',
  'Buyer',
  'Marketing Manager',
  'IT Manager',
  'Supply Chain Lead',
  'Owner',
  'Store Manager',
  'Fleet Manager',
  'Office Manager',
] as const;

export const COMPANY_PREFIXES = [
  'Northwind',
  'Bluepeak',
  'Cobalt',
  'Evergreen',
  'Ironbridge',
  'Lakeside',
  'Meridian',
  'Nordic',
  'Orion',
  'Pinecrest',
  'Redwood',
  'Silverline',
  'Summit',
  'Tidewater',
  'Velo',
  'Westfield',
  'Alpine',
  'Brightway',
  'Crescent',
  'Harbor',
  'Keystone',
  'Maple',
  'Riverside',
  'Sterling',
  'Union',
  'Vertex',
  'Windmill',
  'Zenith',
] as const;

export const COMPANY_SUFFIXES = [
  'Cycles',
  'Outdoor',
  'Logistics',
  'Sports',
  'Mobility',
  'Retail',
  'Trading',
  'Supplies',
  'Distribution',
  'Works',
  'Bikes',
  'Rentals',
  'Group',
  'Stores',
  'Tours',
  'Industries',
] as const;

/** Salesforce's standard Account.Industry picklist values that fit the generated companies. */
export const INDUSTRIES = [
  'Retail',
  'Transportation',
  'Recreation',
  'Manufacturing',
  'Hospitality',
  'Shipping',
  'Education',
  'Government',
  'Consulting',
  'Entertainment',
] as const;

export interface CityVocabulary {
  readonly city: string;
  readonly country: WorldCountry;
  readonly state?: string;
  readonly streets: readonly string[];
}

export const CITIES: readonly CityVocabulary[] = [
  {
    city: 'Boston',
    country: 'US',
    state: 'MA',
    streets: ['Boylston Street', 'Summer Street', 'Atlantic Avenue'],
  },
  {
    city: 'Denver',
    country: 'US',
    state: 'CO',
    streets: ['Larimer Street', 'Blake Street', 'Colfax Avenue'],
  },
  {
    city: 'Portland',
    country: 'US',
    state: 'OR',
    streets: ['Burnside Street', 'Division Street', 'Alberta Street'],
  },
  { city: 'London', country: 'GB', streets: ['Baker Street', 'Old Street', 'Hoxton Square'] },
  { city: 'Manchester', country: 'GB', streets: ['Deansgate', 'Oxford Road', 'Portland Street'] },
  { city: 'Paris', country: 'FR', streets: ['Rue de Rivoli', 'Boulevard Voltaire', 'Rue Oberkampf'] },
  { city: 'Lyon', country: 'FR', streets: ['Rue de la République', 'Cours Lafayette', 'Quai Saint-Antoine'] },
  { city: 'Berlin', country: 'DE', streets: ['Torstraße', 'Kastanienallee', 'Friedrichstraße'] },
  { city: 'München', country: 'DE', streets: ['Leopoldstraße', 'Sendlinger Straße', 'Maximilianstraße'] },
  { city: 'Madrid', country: 'ES', streets: ['Calle de Alcalá', 'Gran Vía', 'Calle de Serrano'] },
  { city: 'Milano', country: 'IT', streets: ['Via Torino', 'Corso Buenos Aires', 'Via Montenapoleone'] },
  { city: 'Amsterdam', country: 'NL', streets: ['Prinsengracht', 'Damrak', 'Kalverstraat'] },
];

export const CURRENCY_BY_COUNTRY: Readonly<Record<WorldCountry, 'EUR' | 'GBP' | 'USD'>> = {
  US: 'USD',
  GB: 'GBP',
  FR: 'EUR',
  DE: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  NL: 'EUR',
};

export interface ProductFamilyVocabulary {
  readonly family: string;
  readonly prefix: string;
  readonly nouns: readonly string[];
  readonly priceRange: readonly [number, number];
  readonly weightRange: readonly [number, number];
}

export const PRODUCT_FAMILIES: readonly ProductFamilyVocabulary[] = [
  {
    family: 'Bikes',
    prefix: 'BIK',
    nouns: ['Road Bike', 'Gravel Bike', 'City Bike', 'E-Bike', 'Cargo Bike'],
    priceRange: [450, 4200],
    weightRange: [8, 30],
  },
  {
    family: 'Components',
    prefix: 'CMP',
    nouns: ['Wheelset', 'Groupset', 'Chain', 'Brake Set', 'Crankset'],
    priceRange: [25, 900],
    weightRange: [0.2, 3],
  },
  {
    family: 'Accessories',
    prefix: 'ACC',
    nouns: ['Helmet', 'Light Set', 'Lock', 'Pannier', 'Pump'],
    priceRange: [9, 180],
    weightRange: [0.1, 2],
  },
  {
    family: 'Apparel',
    prefix: 'APP',
    nouns: ['Jersey', 'Rain Jacket', 'Gloves', 'Bib Shorts', 'Cap'],
    priceRange: [15, 240],
    weightRange: [0.05, 0.8],
  },
  {
    family: 'Services',
    prefix: 'SRV',
    nouns: ['Service Plan', 'Fleet Maintenance', 'Fitting Session'],
    priceRange: [40, 1500],
    weightRange: [0, 0],
  },
];

export const PRODUCT_ADJECTIVES = [
  'Aero',
  'Trail',
  'Urban',
  'Pro',
  'Comfort',
  'Carbon',
  'Alloy',
  'Explorer',
  'Sprint',
  'Touring',
  'Compact',
  'Elite',
] as const;

/** Stock sites; a world uses the first `counts.sites` of them. */
export const WORLD_SITES: readonly WorldSite[] = [
  { code: 'FR011', name: 'Lyon distribution centre', country: 'FR' },
  { code: 'US011', name: 'Denver warehouse', country: 'US' },
  { code: 'DE011', name: 'München warehouse', country: 'DE' },
  { code: 'GB011', name: 'Manchester depot', country: 'GB' },
];

/** Salesforce's standard Opportunity.StageName values. */
export const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
] as const;

/** Pardot visitor activity types (apis.md §2.5) that a marketing site produces, with how they read. */
export const VISITOR_ACTIVITY_TYPES: readonly {
  readonly type: number;
  readonly typeName: string;
  readonly details: readonly string[];
}[] = [
  { type: 1, typeName: 'Click', details: ['Spring catalogue: e-bike range', 'Newsletter: new helmets'] },
  { type: 2, typeName: 'View', details: ['/bikes/gravel', '/fleet-services', '/pricing'] },
  { type: 4, typeName: 'Success', details: ['Contact us form', 'Quote request form'] },
  { type: 6, typeName: 'Sent', details: ['Spring catalogue', 'Fleet offer Q3', 'Welcome series 1'] },
  { type: 11, typeName: 'Open', details: ['Spring catalogue', 'Fleet offer Q3'] },
  { type: 20, typeName: 'Visit', details: ['5 page views', '2 page views', '12 page views'] },
  { type: 24, typeName: 'Attended Webinar', details: ['Fleet electrification webinar'] },
];

export const CAMPAIGNS = ['Website', 'Spring catalogue', 'Fleet offer Q3', 'Trade show 2026'] as const;
