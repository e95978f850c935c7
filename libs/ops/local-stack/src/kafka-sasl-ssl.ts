import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** SCRAM mechanisms the SASL_SSL listener offers, strongest first (the stack's environment names the first). */
export const SCRAM_MECHANISMS = ['SCRAM-SHA-512', 'SCRAM-SHA-256'] as const;

/** The local user created in the broker's metadata when its storage is formatted. */
export const LOCAL_SASL_USERNAME = 'px3-local';

/** Where a SASL_SSL stack keeps its certificates and credentials (`<home>/kafka/sasl-ssl`). */
export interface SaslSslMaterial {
  readonly dir: string;
  /** The CA clients trust (KAFKA_SSL_CA_FILE). */
  readonly caFile: string;
  /** The broker's private key and certificate chain, one PEM file (Kafka `ssl.keystore.type=PEM`). */
  readonly keystoreFile: string;
  readonly username: string;
  readonly password: string;
}

/** Files under `<kafka dir>/sasl-ssl`; nothing is created. */
export function saslSslPaths(kafkaDir: string): {
  readonly dir: string;
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly keystoreFile: string;
  readonly credentialsFile: string;
} {
  const dir = join(kafkaDir, 'sasl-ssl');
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    caKeyFile: join(dir, 'ca-key.pem'),
    keystoreFile: join(dir, 'broker-keystore.pem'),
    credentialsFile: join(dir, 'credentials.json'),
  };
}

/** The material of an earlier `ensureSaslSslMaterial`, or undefined when there is none. */
export function readSaslSslMaterial(kafkaDir: string): SaslSslMaterial | undefined {
  const paths = saslSslPaths(kafkaDir);
  if (![paths.caFile, paths.keystoreFile, paths.credentialsFile].every((f) => existsSync(f)))
    return undefined;
  const credentials = JSON.parse(readFileSync(paths.credentialsFile, 'utf8')) as {
    username: string;
    password: string;
  };
  return { dir: paths.dir, caFile: paths.caFile, keystoreFile: paths.keystoreFile, ...credentials };
}

/**
 * A CA and a broker certificate for 127.0.0.1/localhost signed by it (RSA 2048, SHA-256, 10 years),
 * and a random SCRAM password for {@link LOCAL_SASL_USERNAME}: generated once, offline, kept in the
 * stack's folder (keys and password mode 0600). Uses `selfsigned` (a development dependency), loaded
 * only here so that the ops CLI of the production image never needs it.
 */
export async function ensureSaslSslMaterial(kafkaDir: string, host: string): Promise<SaslSslMaterial> {
  const existing = readSaslSslMaterial(kafkaDir);
  if (existing) return existing;
  const paths = saslSslPaths(kafkaDir);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const { generate } = await import('selfsigned');
  const notAfterDate = new Date(Date.now() + 3650 * 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'pardot-x3 local stack CA' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const broker = await generate([{ name: 'commonName', value: host }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: host },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  writeSecret(paths.caKeyFile, ca.private);
  writeFileSync(paths.caFile, ca.cert);
  // Kafka's PEM keystore: an unencrypted PKCS#8 key, then the certificate chain (leaf first).
  writeSecret(paths.keystoreFile, `${broker.private.trim()}\n${broker.cert.trim()}\n${ca.cert.trim()}\n`);
  const credentials = { username: LOCAL_SASL_USERNAME, password: randomBytes(18).toString('base64url') };
  writeSecret(paths.credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`);
  return { dir: paths.dir, caFile: paths.caFile, keystoreFile: paths.keystoreFile, ...credentials };
}

function writeSecret(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** `kafka-storage format --add-scram` arguments creating the local user for every SCRAM mechanism. */
export function addScramArguments(material: Pick<SaslSslMaterial, 'username' | 'password'>): string[] {
  return SCRAM_MECHANISMS.flatMap((mechanism) => [
    '--add-scram',
    `${mechanism}=[name=${material.username},password=${material.password}]`,
  ]);
}

/** The server.properties lines of the SASL_SSL listener (the PLAINTEXT and CONTROLLER lines stay). */
export function saslSslServerProperties(material: SaslSslMaterial): string[] {
  const prefix = 'listener.name.sasl_ssl';
  return [
    `sasl.enabled.mechanisms=${SCRAM_MECHANISMS.join(',')}`,
    ...SCRAM_MECHANISMS.map(
      (m) =>
        `${prefix}.${m.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    ),
    `${prefix}.ssl.keystore.type=PEM`,
    `${prefix}.ssl.keystore.location=${material.keystoreFile}`,
    `${prefix}.ssl.client.auth=none`,
    `${prefix}.ssl.enabled.protocols=TLSv1.3,TLSv1.2`,
  ];
}
