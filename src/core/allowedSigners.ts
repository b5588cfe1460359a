// Who an SSH key belongs to according to `.specgate/allowed_signers` (git's and ssh-keygen's
// format: `principal[,principal…] [options] keytype base64 [comment]`), for the
// self-approval check. One key may be listed under several principals on one line and on
// several lines; `ssh-keygen -Y find-principals` reports only the first matching line, so
// the lines are read here. Principals are OpenSSH patterns (`*`, `?`, `!` negation).
// A certificate counts under the principals its trusting `cert-authority` lines allow.
import { certificateRefusal, parseCertificate, type CertificateRefusal, type SshCertificate } from './sshCertificate';

const KEY_TYPE = /^(?:ssh|ecdsa|sk)-/;

/** The first field of a line (a `"quoted"` field may hold spaces) and the rest. */
function splitFirstField(line: string): { first: string; rest: string } {
  if (line.startsWith('"')) {
    const end = line.indexOf('"', 1);
    if (end < 0) return { first: '', rest: '' };
    return { first: line.slice(1, end), rest: line.slice(end + 1) };
  }
  const m = /^(\S+)\s*([\s\S]*)$/.exec(line);
  return m ? { first: m[1]!, rest: m[2]! } : { first: '', rest: '' };
}

/** The lines of `allowedSigners` that list the key `blob`: each one's principals and whether it is a `cert-authority` line. */
function linesForKey(allowedSigners: string, blob: string): { principals: string[]; certAuthority: boolean }[] {
  const out: { principals: string[]; certAuthority: boolean }[] = [];
  if (!blob) return out;
  for (const raw of allowedSigners.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const { first, rest } = splitFirstField(line);
    if (!first) continue;
    const tokens = rest.split(/\s+/);
    const at = tokens.findIndex((t, i) => t === blob && i > 0 && KEY_TYPE.test(tokens[i - 1]!));
    if (at < 0) continue;
    out.push({ principals: first.split(','), certAuthority: /(?:^|,)cert-authority(?:,|$)/i.test(tokens.slice(0, at - 1).join(' ')) });
  }
  return out;
}

/**
 * The principals (split on commas) of every line of `allowedSigners` that lists the public
 * key `keyBlob` (its base64 part) as a signer's key, in file order. A `cert-authority` line
 * is left out: ssh-keygen accepts only certificates under it, never the CA key itself.
 */
export function principalListsForKey(allowedSigners: string, keyBlob: string): string[][] {
  return linesForKey(allowedSigners, keyBlob)
    .filter((l) => !l.certAuthority)
    .map((l) => l.principals);
}

/** The principal patterns (split on commas) of each `cert-authority` line for the CA key `caBlob`, in file order. */
export function authorityPrincipalLists(allowedSigners: string, caBlob: string): string[][] {
  return linesForKey(allowedSigners, caBlob)
    .filter((l) => l.certAuthority)
    .map((l) => l.principals);
}

/**
 * The principals that trust a signer (`signerBlob`, the base64 key a signature names), one
 * list per line of `allowedSigners`, in file order, as ssh-keygen would find them (validity
 * times aside). A plain key: the lines that list it. A user certificate: for each
 * `cert-authority` line of its CA, the certificate's principals that line allows.
 */
export function principalListsForSigner(allowedSigners: string, signerBlob: string | undefined): string[][] {
  if (!signerBlob) return [];
  const cert = parseCertificate(signerBlob);
  if (!cert) return principalListsForKey(allowedSigners, signerBlob);
  const lists: string[][] = [];
  if (cert.kind !== 'user') return lists;
  for (const patterns of authorityPrincipalLists(allowedSigners, cert.ca)) {
    const allowed = cert.principals.filter((p) => matchesPrincipals(p, patterns));
    if (allowed.length > 0) lists.push(allowed);
  }
  return lists;
}

/**
 * Whose key a signer is, for the self-approval check: the lists of `principalListsForSigner`
 * and, for a certificate, also every line that lists the certified key itself.
 */
export function ownerPrincipalLists(allowedSigners: string, signerBlob: string | undefined): string[][] {
  const cert = parseCertificate(signerBlob);
  return [...principalListsForSigner(allowedSigners, signerBlob), ...(cert ? principalListsForKey(allowedSigners, cert.key) : [])];
}

/** `*` any run of characters, `?` one character; nothing else is special. */
function wildcardMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Whether `identity` matches a principals list as OpenSSH's `match_pattern_list` decides
 * (a matching `!pattern` excludes it whatever else matches), except that case is ignored:
 * e-mail addresses are compared case-insensitively everywhere in the self-approval check.
 * With `exactCase`, case counts, as it does for ssh-keygen.
 */
export function matchesPrincipals(identity: string, patterns: readonly string[], exactCase = false): boolean {
  const fold = (x: string) => (exactCase ? x : x.toLowerCase());
  const id = fold(identity);
  let positive = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = fold(negated ? raw.slice(1) : raw);
    if (!wildcardMatch(id, pattern)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

/** The identities of `candidates` (in their order) that one of the principal lists names. */
export function identitiesNamed(lists: readonly (readonly string[])[], candidates: Iterable<string>): string[] {
  const out: string[] = [];
  for (const c of candidates) if (lists.some((l) => matchesPrincipals(c, l))) out.push(c);
  return out;
}

/**
 * When `signerBlob` is a certificate that `allowedSigners` does not trust at `now` (seconds),
 * the certificate and why; undefined for a plain key or a trusted certificate.
 */
export function untrustedCertificate(allowedSigners: string, signerBlob: string | undefined, now: number): { cert: SshCertificate; refusal: CertificateRefusal } | undefined {
  const cert = parseCertificate(signerBlob);
  if (!cert) return undefined;
  const refusal = certificateRefusal(cert, authorityPrincipalLists(allowedSigners, cert.ca), now, (p, l) => matchesPrincipals(p, l, true));
  return refusal ? { cert, refusal } : undefined;
}
