import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import type { SeededRandom } from './seeded-random.util.js';
import type { WorldCountry } from './world.types.js';

/** Candidates tried per number before falling back to the country's example number itself. */
const ATTEMPTS = 50;

/**
 * A phone number of `country` that libphonenumber-js (full "max" metadata, the same the pipeline's
 * phone harmoniser validates with) accepts as valid, in international form, e.g. `+39 312 345 6789`.
 * It starts from the country's example number (libphonenumber-js' examples metadata) and replaces its
 * last digits with seeded ones, keeping the first candidate that is valid; so a seeded world holds
 * varied numbers that real ERP and CRM validation accepts, never a made-up pattern that it refuses.
 * Draws exactly one value from `rng`, whatever the country.
 */
export function validPhoneNumber(rng: SeededRandom, country: WorldCountry): string {
  const code: CountryCode = country;
  const example = getExampleNumber(code, examples);
  if (!example) throw new RangeError(`libphonenumber-js has no example number for ${country}`);
  const national = String(example.nationalNumber);
  const free = Math.min(6, national.length - 3);
  const span = 10 ** free;
  const start = rng.int(0, span - 1);
  for (let i = 0; i < ATTEMPTS; i++) {
    const tail = String((start + i * 7_919) % span).padStart(free, '0');
    const candidate = parsePhoneNumberFromString(
      `+${example.countryCallingCode}${national.slice(0, -free)}${tail}`,
    );
    if (candidate?.isValid() && candidate.country === code) return candidate.formatInternational();
  }
  return example.formatInternational();
}
