/** Usage reported in the `Sforce-Limit-Info` response header (`api-usage=18/5000`, used/limit, rolling 24 h). */
export interface SforceLimitInfo {
  readonly apiUsage?: { readonly used: number; readonly limit: number };
  readonly apiBursts?: { readonly used: number; readonly limit: number };
  readonly perAppApiUsage?: { readonly used: number; readonly limit: number; readonly appName?: string };
}

const PAIR = /(api-usage|api-bursts|per-app-api-usage)=(\d+)\/(\d+)(?:\(appName=([^)]*)\))?/g;

/** Parses the header; unknown parts are ignored, an absent or malformed header gives `{}`. */
export function parseSforceLimitInfo(header: string | undefined | null): SforceLimitInfo {
  if (!header) return {};
  const info: {
    apiUsage?: SforceLimitInfo['apiUsage'];
    apiBursts?: SforceLimitInfo['apiBursts'];
    perAppApiUsage?: SforceLimitInfo['perAppApiUsage'];
  } = {};
  for (const match of header.matchAll(PAIR)) {
    const [, key, used, limit, appName] = match;
    const usage = { used: Number(used), limit: Number(limit) };
    if (key === 'api-usage') info.apiUsage = usage;
    else if (key === 'api-bursts') info.apiBursts = usage;
    else info.perAppApiUsage = appName === undefined ? usage : { ...usage, appName };
  }
  return info;
}
