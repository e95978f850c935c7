import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addScramArguments,
  ensureSaslSslMaterial,
  LOCAL_SASL_USERNAME,
  readSaslSslMaterial,
  saslSslServerProperties,
} from './kafka-sasl-ssl.js';
import { loadStackConfig } from './stack-config.js';

describe('the SASL_SSL material of the local stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'px3-sasl-ssl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a CA and a broker certificate for 127.0.0.1 it signed, keys and password readable by the owner only', async () => {
    const material = await ensureSaslSslMaterial(dir, '127.0.0.1');
    const ca = new X509Certificate(readFileSync(material.caFile));
    const keystore = readFileSync(material.keystoreFile, 'utf8');
    const broker = new X509Certificate(keystore.slice(keystore.indexOf('-----BEGIN CERTIFICATE-----')));
    expect(ca.ca).toBe(true);
    expect(broker.ca).toBe(false);
    expect(broker.verify(ca.publicKey)).toBe(true);
    expect(broker.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(keystore).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    for (const file of [material.keystoreFile, join(material.dir, 'credentials.json')])
      expect(statSync(file).mode & 0o077).toBe(0);
    expect(material.username).toBe(LOCAL_SASL_USERNAME);
    expect(material.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // Generated once: a second call reads the same files.
    expect(await ensureSaslSslMaterial(dir, '127.0.0.1')).toEqual(material);
    expect(readSaslSslMaterial(dir)).toEqual(material);
  });

  it('configures a SASL_SSL listener with SCRAM-SHA-512/256 and a PEM keystore', () => {
    const material = readSaslSslMaterial(dir);
    if (!material) throw new Error('no material');
    const lines = saslSslServerProperties(material);
    expect(lines).toContain('sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256');
    expect(lines).toContain('listener.name.sasl_ssl.ssl.keystore.type=PEM');
    expect(addScramArguments(material)).toEqual([
      '--add-scram',
      `SCRAM-SHA-512=[name=${LOCAL_SASL_USERNAME},password=${material.password}]`,
      '--add-scram',
      `SCRAM-SHA-256=[name=${LOCAL_SASL_USERNAME},password=${material.password}]`,
    ]);
  });

  it('is off unless PX3_STACK_SASL_SSL says otherwise; its port follows PX3_PORT_OFFSET', () => {
    expect(loadStackConfig({}).kafkaSaslSsl).toBe(false);
    const config = loadStackConfig({ PX3_STACK_SASL_SSL: '1', PX3_PORT_OFFSET: '40' });
    expect(config.kafkaSaslSsl).toBe(true);
    expect(config.ports.kafkaSaslSsl).toBe(9134);
    expect(() => loadStackConfig({ PX3_STACK_SASL_SSL: 'maybe' })).toThrow(/PX3_STACK_SASL_SSL must be/);
  });
});
