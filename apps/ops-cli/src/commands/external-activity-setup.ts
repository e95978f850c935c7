import { soqlId, soqlString, type SalesforceClient } from '@pardot-x3/salesforce-connector';

/** What {@link checkExternalActivitySetup} found. */
export interface ExternalActivitySetupReport {
  readonly ok: boolean;
  readonly extension: string;
  readonly problems: readonly string[];
  readonly types: readonly {
    readonly name: string;
    readonly registered: boolean;
    readonly active: boolean;
  }[];
}

/**
 * Verifies through the Salesforce Tooling API that the Marketing App Extension of our external
 * activities and each activity type exist and are active ("Active in Automations"): Pardot accepts
 * activities only then (docs/flows/activities.md, "One-time setup").
 */
export async function checkExternalActivitySetup(
  salesforce: SalesforceClient,
  extensionName: string | undefined,
  wanted: readonly string[],
): Promise<ExternalActivitySetupReport> {
  if (!extensionName) {
    return {
      ok: false,
      extension: '',
      problems: ['PARDOT_EXTERNAL_ACTIVITY_EXTENSION is not set'],
      types: [],
    };
  }
  const problems: string[] = [];
  const [extension] = await salesforce.toolingQuery<{ Id: string; IsActive?: boolean }>(
    `SELECT Id, DeveloperName, IsActive FROM MarketingAppExtension WHERE DeveloperName = ${soqlString(extensionName)}`,
  );
  if (!extension) {
    problems.push(`Marketing App Extension "${extensionName}" is not registered in Salesforce`);
    return {
      ok: false,
      extension: extensionName,
      problems,
      types: wanted.map((name) => ({ name, registered: false, active: false })),
    };
  }
  if (extension.IsActive !== true) problems.push(`Marketing App Extension "${extensionName}" is not active`);
  const registered = await salesforce.toolingQuery<{ DeveloperName: string; IsActive?: boolean }>(
    `SELECT Id, DeveloperName, IsActive FROM MarketingAppExtActivity WHERE MarketingAppExtensionId = ${soqlId(extension.Id)}`,
  );
  const byName = new Map(registered.map((t) => [t.DeveloperName, t]));
  const types = wanted.map((name) => {
    const found = byName.get(name);
    if (!found) problems.push(`activity type "${name}" is not registered under extension "${extensionName}"`);
    else if (found.IsActive !== true) problems.push(`activity type "${name}" is not active in automations`);
    return { name, registered: Boolean(found), active: found?.IsActive === true };
  });
  if (wanted.length === 0) problems.push('PARDOT_EXTERNAL_ACTIVITY_TYPES names no activity type');
  return { ok: problems.length === 0, extension: extensionName, problems, types };
}
