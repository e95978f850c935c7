import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxProcesses, sandboxesCommand } from './sandboxes.command.js';

/** Ports reserved for this test: Salesforce 15100, Pardot 15200, X3 15300. */
const PORTS = {
  PX3_SANDBOX_SALESFORCE_PORT: '15100',
  PX3_SANDBOX_PARDOT_PORT: '15200',
  PX3_SANDBOX_X3_PORT: '15300',
};
const saved: Record<string, string | undefined> = {};
let home: string;

async function run(...args: string[]): Promise<void> {
  await sandboxesCommand().exitOverride().parseAsync(args, { from: 'user' });
}

function pids(): number[] {
  return sandboxProcesses().map((s) => Number(readFileSync(s.pidFile, 'utf8').trim()));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'px3-sandboxes-'));
  for (const [k, v] of Object.entries({ ...PORTS, PX3_STACK_HOME: home })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  await run('down');
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(home, { recursive: true, force: true });
});

describe('./pardot-x3 sandboxes', () => {
  it('starts all three with one command, each on its port, sharing one world and one token secret', async () => {
    await run('up');
    const [salesforce, pardot, x3] = sandboxProcesses();
    for (const s of [salesforce, pardot, x3])
      expect((await fetch(`${s?.url}/health/ready`)).status).toBe(200);

    // A token from the Salesforce sandbox's OAuth endpoint works on the Pardot sandbox.
    const tokenReply = await fetch(`${salesforce?.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=PX3SandboxConsumerKey&client_secret=px3-sandbox-consumer-secret',
    });
    const { access_token: token } = (await tokenReply.json()) as { access_token: string };
    const prospect = await fetch(
      `${pardot?.url}/api/v5/objects/prospects/100001?fields=email,ERP_Customer_Code__c`,
      {
        headers: { authorization: `Bearer ${token}`, 'pardot-business-unit-id': '0Uv5g000000PX3AAAA' },
      },
    );
    const { email, ERP_Customer_Code__c: code } = (await prospect.json()) as {
      email: string;
      ERP_Customer_Code__c: string;
    };

    // The same person and company in X3 and Salesforce.
    const customer = await fetch(
      `${x3?.url}/api1/x3/erp/SEED/BPCUSTOMER('${code}')?representation=BPCUSTOMER.$details`,
      {
        headers: { authorization: `Basic ${Buffer.from('px3:px3-sandbox').toString('base64')}` },
      },
    );
    const { BPCNAM: name, WEB: web } = (await customer.json()) as { BPCNAM: string; WEB: string };
    expect(web).toBe(email);
    const accounts = await fetch(
      `${salesforce?.url}/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Account WHERE Name = '${name}'`)}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(((await accounts.json()) as { totalSize: number }).totalSize).toBe(1);
  });

  it('reports status, starts idempotently and stops every process', async () => {
    process.exitCode = undefined;
    await run('status');
    expect(process.exitCode).toBe(0);
    const before = pids();
    await run('up', '--no-build');
    expect(pids()).toEqual(before);

    await run('down');
    expect(before.every((pid) => !alive(pid))).toBe(true);
    await run('status');
    expect(process.exitCode).toBe(3);
    process.exitCode = undefined;
  });
});
