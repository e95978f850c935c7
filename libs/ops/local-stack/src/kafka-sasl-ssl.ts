import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

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
 * and a random SCRAM password for {@link LOCAL_SASL_USERNAME}: generated once, offline, with the
 * `openssl` command, kept in the stack's folder (keys and password mode 0600).
 */
export async function ensureSaslSslMaterial(kafkaDir: string, host: string): Promise<SaslSslMaterial> {
  const existing = readSaslSslMaterial(kafkaDir);
  if (existing) return existing;
  const paths = saslSslPaths(kafkaDir);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const brokerKey = join(paths.dir, 'broker-key.pem');
  const brokerCsr = join(paths.dir, 'broker.csr');
  const brokerCert = join(paths.dir, 'broker.pem');
  const extensions = join(paths.dir, 'broker-extensions.cnf');
  writeFileSync(
    extensions,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=IP:${host},DNS:localhost`,
      '',
    ].join('\n'),
  );
  const days = '3650';
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    days,
    '-keyout',
    paths.caKeyFile,
    '-out',
    paths.caFile,
    '-subj',
    '/CN=pardot-x3 local stack CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-keyout',
    brokerKey,
    '-out',
    brokerCsr,
    '-subj',
    `/CN=${host}`,
  ]);
  await openssl([
    'x509',
    '-req',
    '-sha256',
    '-days',
    days,
    '-in',
    brokerCsr,
    '-CA',
    paths.caFile,
    '-CAkey',
    paths.caKeyFile,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-extfile',
    extensions,
    '-out',
    brokerCert,
  ]);
  const key = readFileSync(brokerKey, 'utf8');
  if (!key.includes('-----BEGIN PRIVATE KEY-----'))
    throw new Error(
      `openssl wrote ${brokerKey} in a format other than PKCS#8, which Kafka's PEM keystore needs`,
    );
  // Kafka's PEM keystore: an unencrypted PKCS#8 key, then the certificate chain (leaf first).
  const chain = [key, readFileSync(brokerCert, 'utf8'), readFileSync(paths.caFile, 'utf8')];
  writeSecret(paths.keystoreFile, `${chain.map((p) => p.trim()).join('\n')}\n`);
  chmodSync(paths.caKeyFile, 0o600);
  for (const file of [brokerKey, brokerCsr, brokerCert, extensions]) rmSync(file, { force: true });
  const credentials = { username: LOCAL_SASL_USERNAME, password: randomBytes(18).toString('base64url') };
  writeSecret(paths.credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`);
  return { dir: paths.dir, caFile: paths.caFile, keystoreFile: paths.keystoreFile, ...credentials };
}

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args], { maxBuffer: 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        'The SASL_SSL stack generates its certificates with the openssl command, which is not installed (Debian: apt-get install openssl)',
      );
    throw new Error(`openssl ${args[0] ?? ''} failed: ${(e.stderr ?? e.message).trim()}`);
  }
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
