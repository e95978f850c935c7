import { loadConfig, ConfigValidationError } from '@pardot-x3/config';
import { pardotConfigSchema } from '@pardot-x3/pardot-connector';
import { SalesforceClient, salesforceConfigSchema } from '@pardot-x3/salesforce-connector';
import { Command } from 'commander';
import { checkExternalActivitySetup, type ExternalActivitySetupReport } from './external-activity-setup.js';
import { printJson } from './messaging-cli.util.js';

/** Exit code of `pardot activities check` when the setup is incomplete. */
const SETUP_INCOMPLETE_EXIT_CODE = 2;

/** The activity types pardot-writer sends by default (its ERP_ACTIVITY_TYPES). */
const DEFAULT_ACTIVITY_TYPES = ['X3_Order_Created', 'X3_Order_Shipped', 'X3_Invoice_Posted'];

export function pardotCommand(): Command {
  const pardot = new Command('pardot').description('Account Engagement (Pardot) set-up checks');
  const activities = pardot
    .command('activities')
    .description('external activities: the Marketing App Extension and activity types pardot-writer sends');

  activities
    .command('check')
    .description(
      `check through the Salesforce Tooling API that the extension (PARDOT_EXTERNAL_ACTIVITY_EXTENSION) and every activity type pardot-writer sends are registered and active in automations (exit code ${SETUP_INCOMPLETE_EXIT_CODE} when not)`,
    )
    .option(
      '--types <names>',
      'activity type DeveloperNames to check, comma-separated (default: the types of ERP_ACTIVITY_TYPES and PARDOT_EXTERNAL_ACTIVITY_TYPES)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { types?: string; json?: boolean }) => {
      let report: ExternalActivitySetupReport;
      try {
        report = await checkActivitySetup(options.types);
      } catch (error) {
        if (error instanceof ConfigValidationError) {
          console.error(error.message);
          process.exitCode = 78;
          return;
        }
        throw error;
      }
      if (options.json) printJson(report);
      else printReport(report);
      process.exitCode = report.ok ? 0 : SETUP_INCOMPLETE_EXIT_CODE;
    });
  return pardot;
}

/** The types to check: the option, else ERP_ACTIVITY_TYPES (`kind:Type,…`) with PARDOT_EXTERNAL_ACTIVITY_TYPES. */
export function activityTypesToCheck(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const list = (text: string | undefined) =>
    (text ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  if (option) return list(option);
  const fromWriter =
    env['ERP_ACTIVITY_TYPES'] !== undefined
      ? list(env['ERP_ACTIVITY_TYPES']).map((entry) => entry.split(':')[1]?.trim() ?? entry)
      : DEFAULT_ACTIVITY_TYPES;
  return [...new Set([...fromWriter, ...list(env['PARDOT_EXTERNAL_ACTIVITY_TYPES'])])];
}

async function checkActivitySetup(types: string | undefined): Promise<ExternalActivitySetupReport> {
  const salesforceConfig = loadConfig('pardot activities check', salesforceConfigSchema);
  const pardotConfig = loadConfig('pardot activities check', pardotConfigSchema);
  const salesforce = SalesforceClient.fromConfig(salesforceConfig);
  // Salesforce's Setup (Tooling API) only: no Pardot call, so no rate limiter or database.
  return checkExternalActivitySetup(
    salesforce,
    pardotConfig.PARDOT_EXTERNAL_ACTIVITY_EXTENSION,
    activityTypesToCheck(types),
  );
}

function printReport(report: ExternalActivitySetupReport): void {
  console.log(`Marketing App Extension: ${report.extension || '(not configured)'}`);
  for (const type of report.types)
    console.log(
      `  ${type.registered && type.active ? 'ok  ' : 'FAIL'}  ${type.name}  ${type.registered ? 'registered' : 'not registered'}, ${type.active ? 'active' : 'not active'}`,
    );
  for (const problem of report.problems) console.log(`problem: ${problem}`);
  console.log(
    report.ok
      ? 'The external activity setup is complete.'
      : 'The external activity setup is incomplete: see docs/flows/activities.md ("One-time setup").',
  );
}
