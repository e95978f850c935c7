import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  explainKafkaConnectionError,
  kafkaClientSecurity,
  KafkaConnectionRefusedError,
} from './kafka-client-security.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('kafkaClientSecurity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'px3-kafka-ca-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads KAFKA_SSL_CA_FILE and the SASL settings', () => {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, PEM);
    expect(
      kafkaClientSecurity({
        KAFKA_SSL: true,
        KAFKA_SSL_CA_FILE: caFile,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toEqual({
      ssl: true,
      sslCa: PEM,
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
    expect(kafkaClientSecurity({ KAFKA_SSL: false })).toEqual({ ssl: false });
  });

  it('refuses, naming the setting: a CA without TLS, an unreadable or non-PEM CA, SASL without credentials', () => {
    const notPem = join(dir, 'not-pem.txt');
    writeFileSync(notPem, 'hello');
    expect(() => kafkaClientSecurity({ KAFKA_SSL: false, KAFKA_SSL_CA_FILE: notPem })).toThrow(
      /KAFKA_SSL_CA_FILE is set .* but KAFKA_SSL is not true/,
    );
    expect(() => kafkaClientSecurity({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: join(dir, 'nope.pem') })).toThrow(
      /KAFKA_SSL_CA_FILE names .*nope\.pem, which cannot be read \(ENOENT\)/,
    );
    expect(() => kafkaClientSecurity({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: notPem })).toThrow(
      /holds no PEM certificate/,
    );
    expect(() =>
      kafkaClientSecurity({ KAFKA_SSL: false, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }),
    ).toThrow(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required/);
  });
});

describe('explainKafkaConnectionError', () => {
  const target = {
    brokers: ['b:9094'],
    ssl: true,
    sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'hunter2-secret' },
  };

  it('names KAFKA_SASL_USERNAME/PASSWORD for refused credentials, with the broker answer and without the password', () => {
    const error = Object.assign(
      new Error(
        'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      ),
      { name: 'KafkaJSSASLAuthenticationError' },
    );
    const explained = explainKafkaConnectionError(error, target) as Error;
    expect(explained).toBeInstanceOf(KafkaConnectionRefusedError);
    expect(explained.message).toMatch(
      /^Kafka at b:9094 refused the SASL SCRAM-SHA-512 credentials of user "svc": check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD\. The broker answered: .*invalid credentials/,
    );
    expect(explained.message).not.toContain('hunter2-secret');
    expect(explained.cause).toBe(error);
  });

  it('names KAFKA_SASL_MECHANISM for a mechanism the broker does not offer', () => {
    const explained = explainKafkaConnectionError(
      new Error('SASL SCRAM-SHA-512 mechanism is not supported by the server'),
      target,
    ) as Error;
    expect(explained.message).toMatch(
      /does not offer SASL mechanism SCRAM-SHA-512: check KAFKA_SASL_MECHANISM/,
    );
  });

  it('names KAFKA_SSL_CA_FILE for an untrusted certificate, also when kafkajs wrapped it', () => {
    const tls = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    const wrapped = Object.assign(new Error('Connection error'), { originalError: tls });
    expect((explainKafkaConnectionError(wrapped, target) as Error).message).toMatch(
      /TLS certificate is not trusted; set KAFKA_SSL_CA_FILE .*self-signed certificate in certificate chain \(SELF_SIGNED_CERT_IN_CHAIN\)/,
    );
    expect((explainKafkaConnectionError(tls, { ...target, sslCa: 'PEM' }) as Error).message).toMatch(
      /not signed by the CA of KAFKA_SSL_CA_FILE/,
    );
  });

  it('leaves other errors as they are', () => {
    const error = new Error('Connection timeout');
    expect(explainKafkaConnectionError(error, target)).toBe(error);
    expect(explainKafkaConnectionError('a string', target)).toBe('a string');
  });
});
