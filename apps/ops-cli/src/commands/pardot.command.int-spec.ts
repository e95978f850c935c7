import { SandboxProcess } from '@pardot-x3/flow-testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExternalActivitySetupReport } from './external-activity-setup.js';
import { activityTypesToCheck, pardotCommand } from './pardot.command.js';

/** Runs `pardot activities check` in this process: the JSON report and the exit code. */
async function check(...args: string[]): Promise<{ report: ExternalActivitySetupReport; exitCode: number }> {
  const printed: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
  process.exitCode = undefined;
  try {
    await pardotCommand()
      .exitOverride()
      .parseAsync(['activities', 'check', ...args, '--json'], { from: 'user' });
  } finally {
    log.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { report: JSON.parse(printed.join('\n')) as ExternalActivitySetupReport, exitCode };
}

/** `./pardot-x3 pardot activities check` against the Salesforce sandbox's Setup (Tooling API). */
describe('pardot activities check', () => {
  let salesforce: SandboxProcess;

  beforeAll(async () => {
    salesforce = await SandboxProcess.start('salesforce', 21130);
    Object.assign(process.env, {
      SALESFORCE_LOGIN_URL: salesforce.baseUrl,
      SALESFORCE_CLIENT_ID: 'PX3SandboxConsumerKey',
      SALESFORCE_CLIENT_SECRET: 'px3-sandbox-consumer-secret',
      PARDOT_BUSINESS_UNIT_ID: '0Uv5g000000PX3AAAA',
      PARDOT_EXTERNAL_ACTIVITY_EXTENSION: 'PardotX3Check',
    });
  });

  afterAll(async () => {
    await salesforce?.stop();
  });

  beforeEach(async () => {
    await salesforce.admin('POST', '/reset');
  });

  it('names what is missing or inactive, with exit code 2', async () => {
    await salesforce.admin('PUT', '/salesforce/marketing-app-extensions', {
      extension: 'PardotX3Check',
      type: 'X3_Order_Shipped',
    });
    await salesforce.admin('PUT', '/salesforce/marketing-app-extensions', {
      extension: 'PardotX3Check',
      type: 'X3_Order_Created',
      active: false,
    });
    const { report, exitCode } = await check(
      '--types',
      'X3_Order_Shipped,X3_Order_Created,X3_Invoice_Posted',
    );
    expect(exitCode).toBe(2);
    expect(report).toEqual({
      ok: false,
      extension: 'PardotX3Check',
      problems: [
        'activity type "X3_Order_Created" is not active in automations',
        'activity type "X3_Invoice_Posted" is not registered under extension "PardotX3Check"',
      ],
      types: [
        { name: 'X3_Order_Shipped', registered: true, active: true },
        { name: 'X3_Order_Created', registered: true, active: false },
        { name: 'X3_Invoice_Posted', registered: false, active: false },
      ],
    });
  });

  it('says so when the extension is not registered in Salesforce at all (registered in Pardot only)', async () => {
    const { report, exitCode } = await check('--types', 'X3_Order_Shipped');
    expect(exitCode).toBe(2);
    expect(report).toEqual({
      ok: false,
      extension: 'PardotX3Check',
      problems: ['Marketing App Extension "PardotX3Check" is not registered in Salesforce'],
      types: [{ name: 'X3_Order_Shipped', registered: false, active: false }],
    });
  });

  it('passes when every type pardot-writer sends is registered and active', async () => {
    for (const type of ['X3_Order_Created', 'X3_Order_Shipped', 'X3_Invoice_Posted'])
      await salesforce.admin('PUT', '/salesforce/marketing-app-extensions', {
        extension: 'PardotX3Check',
        type,
      });
    const { report, exitCode } = await check();
    expect(report.ok).toBe(true);
    expect(exitCode).toBe(0);
  });

  it("checks the types of pardot-writer's ERP_ACTIVITY_TYPES", () => {
    expect(
      activityTypesToCheck(undefined, {
        ERP_ACTIVITY_TYPES: 'order-shipped:Shipped_From_X3',
        PARDOT_EXTERNAL_ACTIVITY_TYPES: 'Other_Type',
      }),
    ).toEqual(['Shipped_From_X3', 'Other_Type']);
  });
});
