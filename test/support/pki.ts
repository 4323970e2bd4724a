// Test PKI made with the openssl CLI, as an organisation's CA would: a CA, certificates it issues with chosen
// extensions and validity dates (openssl ca), and certificates over a public key held elsewhere (a KMS key).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCa {
  dir: string;
  certPath: string;
  keyPath: string;
}

const osl = (cwd: string, ...args: string[]) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** A self-signed CA (RSA-2048) in `dir`, valid from 2020 to 2045 so that certificates of any test date chain. */
export function makeCa(dir: string, commonName: string): TestCa {
  mkdirSync(join(dir, 'issued'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${join(dir, 'issued')}`,
      `serial = ${join(dir, 'serial')}`,
      'default_md = sha256',
      'policy = any_name',
      'unique_subject = no',
      'email_in_dn = no',
      '[any_name]',
      'commonName = supplied',
      'organizationName = optional',
      '[ca_ext]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  osl(dir, 'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.csr', '-subj', `/CN=${commonName}`);
  osl(dir, 'ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'ca.key', '-in', 'ca.csr', '-out', 'ca.pem', '-notext', '-extensions', 'ca_ext', '-startdate', '20200101000000Z', '-enddate', '20450101000000Z');
  return { dir, certPath: join(dir, 'ca.pem'), keyPath: join(dir, 'ca.key') };
}

export interface IssueOptions {
  /** File name stem of the key, CSR and certificate in the CA's folder. */
  name: string;
  commonName: string;
  /** Extension lines (openssl x509v3 config syntax). */
  extensions: string[];
  /** openssl ca dates (YYYYMMDDHHMMSSZ); default: valid from 2020 to 2040. */
  startDate?: string;
  endDate?: string;
  /** Key algorithm for `openssl req -newkey`; default rsa:2048. */
  newkey?: string;
}

/** A key and a certificate for it issued by `ca`; returns their paths. */
export function issue(ca: TestCa, o: IssueOptions): { certPath: string; keyPath: string } {
  writeFileSync(join(ca.dir, `${o.name}.ext`), ['[ext]', ...o.extensions, ''].join('\n'));
  osl(ca.dir, 'req', '-new', '-newkey', o.newkey ?? 'rsa:2048', '-nodes', '-keyout', `${o.name}.key`, '-out', `${o.name}.csr`, '-subj', `/CN=${o.commonName}`);
  osl(ca.dir, 'ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${o.name}.csr`, '-out', `${o.name}.pem`, '-notext',
    '-extfile', `${o.name}.ext`, '-extensions', 'ext', '-startdate', o.startDate ?? '20200101000000Z', '-enddate', o.endDate ?? '20400101000000Z');
  return { certPath: join(ca.dir, `${o.name}.pem`), keyPath: join(ca.dir, `${o.name}.key`) };
}

/**
 * A certificate over a public key whose private key is elsewhere (an AWS KMS key): openssl signs a throwaway CSR's
 * details with the CA but puts `publicKeyPem` in the certificate (-force_pubkey).
 */
export function issueForPublicKey(ca: TestCa, name: string, commonName: string, publicKeyPem: string): string {
  writeFileSync(join(ca.dir, `${name}.pub.pem`), publicKeyPem);
  writeFileSync(join(ca.dir, `${name}.ext`), ['[ext]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,nonRepudiation', 'subjectKeyIdentifier = hash', ''].join('\n'));
  osl(ca.dir, 'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.throwaway.key`, '-out', `${name}.csr`, '-subj', `/O=Acme Bank AG/CN=${commonName}`);
  osl(ca.dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-force_pubkey', `${name}.pub.pem`,
    '-days', '3650', '-extfile', `${name}.ext`, '-extensions', 'ext', '-out', `${name}.pem`);
  return join(ca.dir, `${name}.pem`);
}
