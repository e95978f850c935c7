import type { FaultSettings, Scenario } from './chaos-faults.fixture.js';
import { SCENARIOS } from './chaos-faults.fixture.js';
import type { LoadPlan } from './chaos-load.fixture.js';

/**
 * The two profiles. `short` runs in CI (`./pardot-x3 test`): two phases of about a minute each, one
 * with process kills and SaaS faults, one with the infrastructure going away. `long` is run by
 * `./pardot-x3 chaos --profile long`: every fault at once over ≥ 20,000 changes.
 */

export interface Phase {
  readonly name: string;
  readonly scenarios: readonly Scenario[];
  readonly load: LoadPlan;
}

export interface Profile {
  readonly name: string;
  readonly phases: readonly Phase[];
  readonly faults: FaultSettings;
  readonly convergeTimeoutMs: number;
  /** Retry amplification allowed per target for the fault scenarios. */
  readonly maxAmplification: number;
}

const SHORT_LOAD: LoadPlan = {
  x3Customers: 16,
  x3UpdatesPerCustomer: 3,
  contacts: 8,
  contactUpdatesPerContact: 2,
  opportunities: 6,
  deliveries: 5,
  stockMovements: 400,
  durationMs: 60_000,
};

export const PROFILES: Record<string, Profile> = {
  short: {
    name: 'short',
    phases: [
      { name: 'kills+saas', scenarios: ['service-kills', 'sandbox-faults'], load: SHORT_LOAD },
      {
        name: 'infrastructure',
        scenarios: ['broker-kill', 'postgres-restart', 'registry-restart'],
        // The movements come in bursts just before the broker and the database go, so handlers are busy then.
        load: { ...SHORT_LOAD, stockMovements: 1_200, stockBurstsAt: [0.27, 0.52, 0.72] },
      },
    ],
    faults: {
      killIntervalMs: 6_000,
      brokerDownMs: 10_000,
      postgresDownMs: 8_000,
      burstEveryMs: 15_000,
      burstMs: 2_000,
    },
    convergeTimeoutMs: 300_000,
    maxAmplification: 1.3,
  },
  long: {
    name: 'long',
    phases: [
      {
        name: 'all-faults',
        scenarios: SCENARIOS.filter((s) => s !== 'lost-answers'),
        load: {
          x3Customers: 300,
          x3UpdatesPerCustomer: 5,
          contacts: 150,
          contactUpdatesPerContact: 4,
          opportunities: 120,
          deliveries: 100,
          stockMovements: 19_200,
          durationMs: 720_000,
          stockBurstsAt: [0.05, 0.15, 0.27, 0.4, 0.52, 0.65, 0.72, 0.85],
        },
      },
    ],
    faults: {
      killIntervalMs: 5_000,
      brokerDownMs: 30_000,
      postgresDownMs: 20_000,
      burstEveryMs: 30_000,
      burstMs: 3_000,
    },
    convergeTimeoutMs: 1_200_000,
    maxAmplification: 1.3,
  },
};

/** The profile named by PX3_CHAOS_PROFILE (default short); PX3_CHAOS_SCENARIOS runs one phase with just those. */
export function selectedProfile(env: NodeJS.ProcessEnv = process.env): Profile {
  const name = env['PX3_CHAOS_PROFILE'] ?? 'short';
  const profile = PROFILES[name];
  if (!profile)
    throw new Error(`PX3_CHAOS_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got "${name}"`);
  const only = env['PX3_CHAOS_SCENARIOS']?.trim();
  if (!only) return profile;
  const scenarios = (only === 'none' ? [] : only.split(',').map((s) => s.trim())) as Scenario[];
  const unknown = scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(
      `PX3_CHAOS_SCENARIOS: unknown ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}, or "none"`,
    );
  // The load of the profile's phase that has these faults (e.g. the stock bursts before an outage).
  const phase =
    profile.phases.find((p) => scenarios.some((s) => p.scenarios.includes(s))) ?? profile.phases[0];
  if (!phase) return profile;
  return {
    ...profile,
    phases: [{ name: scenarios.join('+') || 'no-faults', scenarios, load: phase.load }],
  };
}
