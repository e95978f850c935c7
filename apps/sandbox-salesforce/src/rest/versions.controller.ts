import { Controller, Get } from '@nestjs/common';
import { FIRST_API_VERSION, LATEST_API_VERSION } from './rest-call.util.js';

const SEASONS = ['Summer', 'Winter', 'Spring'] as const;

/** `GET /services/data`: the API versions served (no session needed, no Sforce-Limit-Info). */
@Controller('services/data')
export class VersionsController {
  @Get()
  versions(): { label: string; url: string; version: string }[] {
    const out: { label: string; url: string; version: string }[] = [];
    for (let major = FIRST_API_VERSION; major <= LATEST_API_VERSION; major += 1) {
      const step = major - FIRST_API_VERSION;
      const season = SEASONS[step % 3] ?? 'Summer';
      const summerYear = 19 + Math.floor(step / 3);
      const year = season === 'Summer' ? summerYear : summerYear + 1;
      out.push({
        label: `${season} '${String(year).padStart(2, '0')}`,
        url: `/services/data/v${major}.0`,
        version: `${major}.0`,
      });
    }
    return out;
  }
}
