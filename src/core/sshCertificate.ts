// OpenSSH certificates (PROTOCOL.certkeys) as a signature names its signer: the certified
// key, the principals, the validity window and the signing CA. Read so that the
// self-approval check sees every principal a certificate is trusted for, and so that a
// refused certificate can be explained in one line. Parsing only: trust is ssh-keygen's.

export interface SshCertificate {
  /** `user` or `host`. */
  kind: 'user' | 'host' | 'unknown';
  keyId: string;
  principals: string[];
  /** Seconds since the epoch; `validBefore` is undefined for "forever". */
  validAfter: number;
  validBefore: number | undefined;
  /** The certified key as a plain public key blob (base64), as a `.pub` file holds it. */
  key: string;
  /** The signing CA's public key blob (base64), as a `cert-authority` line holds it. */
  ca: string;
}

const CERT_SUFFIX = '-cert-v01@openssh.com';

/** How many length-prefixed fields follow the nonce for each certified key type. */
const KEY_FIELDS: Record<string, number> = {
  'ssh-rsa': 2,
  'ssh-dss': 4,
  'ssh-ed25519': 1,
  'ecdsa-sha2-nistp256': 2,
  'ecdsa-sha2-nistp384': 2,
  'ecdsa-sha2-nistp521': 2,
  'sk-ecdsa-sha2-nistp256@openssh.com': 3,
  'sk-ssh-ed25519@openssh.com': 2,
};

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  bytes(): Buffer {
    const n = this.uint32();
    if (this.pos + n > this.buf.length) throw new RangeError('truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new RangeError('truncated');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uint64(): bigint {
    if (this.pos + 8 > this.buf.length) throw new RangeError('truncated');
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** An OpenSSH time (seconds, uint64) as a number; the all-ones "forever" as undefined. */
function seconds(v: bigint): number | undefined {
  return v >= 0xffffffffffffffffn ? undefined : Number(v > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : v);
}

/** The certificate in a public key blob (base64), or undefined when the blob is a plain key or malformed. */
export function parseCertificate(blob: string | undefined): SshCertificate | undefined {
  if (!blob) return undefined;
  try {
    const r = new Reader(Buffer.from(blob, 'base64'));
    const type = r.bytes().toString('latin1');
    if (!type.endsWith(CERT_SUFFIX)) return undefined;
    const plainType = type.slice(0, -CERT_SUFFIX.length);
    const fields = KEY_FIELDS[plainType];
    if (fields === undefined) return undefined;
    r.bytes(); // nonce
    const keyParts = [sshString(Buffer.from(plainType, 'latin1'))];
    for (let i = 0; i < fields; i++) keyParts.push(sshString(r.bytes()));
    r.uint64(); // serial
    const kind = r.uint32();
    const keyId = r.bytes().toString('utf8');
    const packed = new Reader(r.bytes());
    const principals: string[] = [];
    while (!packed.done) principals.push(packed.bytes().toString('utf8'));
    const validAfter = seconds(r.uint64()) ?? 0;
    const validBefore = seconds(r.uint64());
    r.bytes(); // critical options
    r.bytes(); // extensions
    r.bytes(); // reserved
    const ca = r.bytes();
    r.bytes(); // the CA's signature
    if (!r.done) return undefined;
    return {
      kind: kind === 1 ? 'user' : kind === 2 ? 'host' : 'unknown',
      keyId,
      principals,
      validAfter,
      validBefore,
      key: Buffer.concat(keyParts).toString('base64'),
      ca: ca.toString('base64'),
    };
  } catch {
    return undefined;
  }
}

export type CertificateRefusal =
  | { kind: 'unknown-authority' }
  | { kind: 'not-user' }
  | { kind: 'not-yet-valid'; at: number }
  | { kind: 'expired'; at: number }
  | { kind: 'no-principals' }
  | { kind: 'principal-not-allowed'; patterns: string[][] };

/**
 * Why the `cert-authority` lines (`authorities`: each line's principal patterns, for this
 * certificate's CA) do not trust `cert` at `now` (seconds), in ssh-keygen's order of checks,
 * or undefined when one of them does. `matches` decides a principal against a line.
 */
export function certificateRefusal(
  cert: SshCertificate,
  authorities: readonly (readonly string[])[],
  now: number,
  matches: (principal: string, patterns: readonly string[]) => boolean,
): CertificateRefusal | undefined {
  if (authorities.length === 0) return { kind: 'unknown-authority' };
  if (cert.kind !== 'user') return { kind: 'not-user' };
  if (now < cert.validAfter) return { kind: 'not-yet-valid', at: cert.validAfter };
  if (cert.validBefore !== undefined && now >= cert.validBefore) return { kind: 'expired', at: cert.validBefore };
  if (cert.principals.length === 0) return { kind: 'no-principals' };
  if (!authorities.some((patterns) => cert.principals.some((p) => matches(p, patterns)))) {
    return { kind: 'principal-not-allowed', patterns: authorities.map((a) => [...a]) };
  }
  return undefined;
}
