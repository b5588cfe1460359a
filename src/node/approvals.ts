// Signed approvals: `approve` signs a decision about a review bundle with the reviewer's SSH
// key; `verify` lets a change through only when a record for its CURRENT digest says
// approved and is signed by a principal of `.specgate/allowed_signers` as it stands in the
// BASE commit (so a change cannot add its own reviewer). See docs/security.md.
import { createHash, randomBytes } from 'node:crypto';
import { link, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ALLOWED_SIGNERS_PATH,
  APPROVALS_DIR,
  approvalPath,
  isDigest,
  makeApproval,
  parseApproval,
  serializeApproval,
  shortDigest,
  SIGNATURE_NAMESPACE,
  signaturePathFor,
  type ApprovalRecord,
  type Decision,
} from '../core/approval';
import { identitiesNamed, ownerPrincipalLists, principalListsForSigner, untrustedCertificate } from '../core/allowedSigners';
import { CONFIG_PATH, parseConfig } from '../core/config';
import { parseRawZ } from '../core/diffparse';
import { NoSpecChosen, UsageError, type Report } from '../core/model';
import { isPartialApprovalName, isPartialBundleFolderName, RECORD_DIRS, recordKind, recordText } from '../core/records';
import { safePath, safeText, someOf } from '../core/render/text';
import { parseCertificate } from '../core/sshCertificate';
import { shownTime } from '../core/time';
import { VERSION } from '../core/version';
import { rootCommits, type Packet } from './bundle';
import { analyzeRepository, type RepositoryAnalysis } from './engine';
import { copyNewFile, syncFiles, syncFolder, writeNewFile } from './durable';
import { makeFolders } from './folders';
import { removeStalePartials } from './partials';
import { Git, SAFE_DIFF_FLAGS } from './git';
import { recordsInBlobs, type BlobFile } from './records';
import { mapLimit } from './mapLimit';
import { checkSignature, findPrincipals, sign, signatureKey, verify as verifySignature, withAgentKey, type SignOptions } from './ssh';

const MAX_PACKET = 64 * 1024 * 1024;
const MAX_RECORD = 64 * 1024;

export type VerifyCode =
  | 'approved'
  | 'no-approval'
  | 'stale'
  | 'tampered'
  | 'untrusted-signer'
  | 'signer-added-by-change'
  | 'rejected'
  | 'self-approval'
  /** The record was committed before, in the base's history: it approved an earlier application of the change. */
  | 'replayed'
  /** The change is empty: nothing to approve (e.g. `git commit --amend` of the message). */
  | 'empty';

export interface VerifyOutcome {
  ok: boolean;
  /** One line saying why, and what to do when it is not ok. */
  reason: string;
  code: VerifyCode;
  digest: string;
  /** The record looked at, repo-relative, when there was one. */
  record?: string;
  /**
   * The reviewer: the allowed_signers principal the signature verified for, or the author of
   * the change whose key it also is (self-approval).
   */
  principal?: string;
}

export interface VerifyOptions {
  cwd: string;
  spec?: string;
  base?: string;
  staged?: boolean;
}

export interface ApproveOptions {
  cwd: string;
  /** A bundle folder or its packet.json. */
  path: string;
  /** SSH private key (or its .pub when the agent holds it). */
  key?: string;
  reject?: boolean;
  comment?: string;
  now?: Date;
  ssh?: SignOptions;
  /** Replace another reviewer's record of this digest without asking (`--force`). */
  force?: boolean;
  /**
   * Asked before another reviewer's record of this digest is replaced (without `force`):
   * true replaces it; false writes nothing and `approve` throws ReplaceDeclined. Without it,
   * `approve` refuses with a UsageError that names the record and `--force`.
   */
  confirmReplace?: (earlier: EarlierRecord) => Promise<boolean>;
}

/**
 * The record already written for the digest being decided on (there is one per digest, and
 * a new decision replaces it), as `approve` read it just before writing.
 */
export interface EarlierRecord {
  /** Repo-relative path of the record. */
  rel: string;
  /**
   * `invalid`: nothing verify could take (not a regular file, unreadable, malformed, no
   * signature or one that does not match it); `own`: signed with the key that signs the new
   * decision (for a certificate: the certified key); `other`: signed with another key.
   */
  kind: 'invalid' | 'own' | 'other';
  /** Why it is not a valid record (`invalid` only), one line. */
  problem?: string;
  decision?: Decision;
  /** The record's time as written (checked to be a date). */
  time?: string;
  /** Its comment: one line, control characters shown as `\u{…}`, cut to 200 characters. */
  comment?: string;
  /**
   * Who signed it: the principal the base's allowed_signers trusts the key for, else the
   * reviewer the record names (quoted, made one line, and said to be unverified).
   */
  by?: string;
  /** `SHA256:…` fingerprint of the signing key (for a certificate, of the certified key), as ssh-keygen -l shows it. */
  fingerprint?: string;
}

/** Thrown when `confirmReplace` answered no: nothing was written. */
export class ReplaceDeclined extends Error {
  constructor(readonly earlier: EarlierRecord) {
    super(`kept ${earlier.rel}: nothing written`);
  }
}

export interface ApproveResult {
  /** Absolute path of the record written. */
  file: string;
  signature: string;
  record: ApprovalRecord;
  report: Report;
  /** Set when verify will not accept this record as it stands (key not trusted in the base). */
  warning?: string;
  /**
   * Set when the change's base commit is not the one the bundle shows (a commit on HEAD
   * that is not part of the change, the target fetched since): the content is the same, and
   * the record names the base as it is now.
   */
  note?: string;
  /**
   * The record this one replaced, when the reviewer should know: another key's record, the
   * same key's other decision, or a file by the record's name that was no valid record.
   * (The same key's same decision is replaced without a word.)
   */
  replaced?: EarlierRecord & { message: string };
}

/** `git show <commit>:<path>` as text, or undefined when the commit or file is missing. */
async function showAt(git: Git, commit: string | null, file: string): Promise<string | undefined> {
  return commit ? (await git.fileAt(commit, file))?.toString('utf8') : undefined;
}

/** The public key of `key` as `type base64`, from the key itself when public or `<key>.pub`. */
async function publicKeyOf(key: string): Promise<string | undefined> {
  for (const file of [key, `${key}.pub`]) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.includes('PRIVATE KEY')) continue;
    const m = /((?:ssh|ecdsa|sk)-[\w@.-]+)\s+([A-Za-z0-9+/=]{16,})/.exec(text);
    if (m) return `${m[1]} ${m[2]}`;
  }
  return undefined;
}

/** The first principal of the allowed_signers line that trusts this public key (or certificate). */
function principalFor(allowedSigners: string, publicKey: string): string | undefined {
  return principalListsForSigner(allowedSigners, publicKey.split(' ')[1])[0]?.[0];
}

/**
 * The change's authors (in `authors`' order) whose key `keyBlob` is: every principal of every
 * line of the base's allowed_signers that lists the key counts, patterns honoured, not only
 * the principal the signature happened to verify for; for a certificate, every principal of
 * it that a cert-authority line of its CA allows, and every line that lists the certified key.
 * `found` (ssh-keygen's find-principals) counts as well.
 */
function authorsOwningKey(allowedSigners: string, keyBlob: string | undefined, found: readonly string[], authors: Set<string>): string[] {
  const lists = ownerPrincipalLists(allowedSigners, keyBlob);
  lists.push(...found.filter((p) => !p.startsWith('!')).map((p) => [p]));
  return identitiesNamed(lists, authors);
}

/** How allowed_signers makes `signerBlob` the key of `owner`: a plain key's line, a certificate's cert-authority line, or a line listing the certified key. */
function ownedAs(allowedSigners: string, signerBlob: string | undefined, owner: string): 'key' | 'certificate' | 'certified-key' {
  if (!parseCertificate(signerBlob)) return 'key';
  return identitiesNamed(principalListsForSigner(allowedSigners, signerBlob), [owner]).length > 0 ? 'certificate' : 'certified-key';
}

/**
 * Why `allowedSigners` (in `where`) does not trust the certificate `signerBlob` now, as the
 * rest of an "untrusted signer: " line, or undefined when it is no certificate or trusted.
 */
/**
 * Why a key that an allowed_signers line does hold signs nothing SpecGate accepts: the line's
 * own options (`namespaces=` without specgate, a `valid-before` passed, a `valid-after` to
 * come). Undefined when no line holds the key, or none of those explains it.
 */
function lineOptionsProblem(allowedSigners: string, signerBlob: string | undefined, where: string, now = new Date()): string | undefined {
  if (!signerBlob) return undefined;
  const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const at = stamp(now);
  for (const line of allowedSigners.split(/\r?\n/)) {
    if (/^\s*#/.test(line) || !line.split(/\s+/).includes(signerBlob)) continue;
    const reasons: string[] = [];
    const option = (name: string) => new RegExp(`(?:^|[\\s,])${name}="([^"]*)"`, 'i').exec(line)?.[1];
    const namespaces = option('namespaces');
    if (namespaces !== undefined && !namespaces.split(',').some((n) => n.trim() === SIGNATURE_NAMESPACE)) reasons.push(`namespaces="${oneLine(namespaces, 60)}" leaves out ${SIGNATURE_NAMESPACE}`);
    const before = option('valid-before');
    if (before !== undefined && /^\d{8,14}/.test(before) && before.replace(/\D.*$/, '').padEnd(14, '0') <= at) reasons.push(`its valid-before="${oneLine(before, 30)}" has passed`);
    const after = option('valid-after');
    if (after !== undefined && /^\d{8,14}/.test(after) && after.replace(/\D.*$/, '').padEnd(14, '0') > at) reasons.push(`its valid-after="${oneLine(after, 30)}" has not come yet`);
    if (reasons.length) return `the key's line in ${where} allows no specgate signature now: ${reasons.join('; ')}`;
  }
  return undefined;
}

function certificateProblem(allowedSigners: string, signerBlob: string | undefined, where: string): string | undefined {
  const found = untrustedCertificate(allowedSigners, signerBlob, Math.floor(Date.now() / 1000));
  if (!found) return undefined;
  const { cert, refusal } = found;
  const keyId = oneLine(cert.keyId, 80);
  const names = listed(cert.principals);
  const what = `the certificate with key ID "${keyId}"${cert.principals.length > 0 ? ` for ${names}` : ''}`;
  switch (refusal.kind) {
    case 'unknown-authority':
      return `the approval is signed with ${what}, and ${where} has no cert-authority line for the authority that signed it`;
    case 'not-user':
      return `the approval is signed with ${what}, which is not a user certificate; sign with a user certificate`;
    case 'not-yet-valid':
      return `${what} is not valid until ${shownSeconds(refusal.at)}; approve again once it is, or with a current certificate`;
    case 'expired':
      return `${what} expired at ${shownSeconds(refusal.at)}; get a new certificate from its authority and approve again`;
    case 'no-principals':
      return `${what} names no principal, and ${where} trusts a certificate only for a principal it names`;
    case 'principal-not-allowed':
      return `${what} is not for a principal that ${where} allows for its authority (${listed(refusal.patterns.map((p) => p.join(',')))})`;
  }
}

/** `; to sign with your certificate, pass --key …-cert.pub` when a plain key has one beside it. */
async function certificateHint(keyPath: string, publicKey: string | undefined): Promise<string> {
  if (!publicKey || parseCertificate(publicKey.split(' ')[1])) return '';
  const base = keyPath.endsWith('.pub') ? keyPath.slice(0, -4) : keyPath;
  const cert = `${base}-cert.pub`;
  return (await stat(cert).catch(() => undefined))?.isFile() ? `; to sign with your certificate, pass --key ${cert}` : '';
}

/** Control characters made visible and the text cut to `max` characters, for a one-line message. */
function oneLine(s: string, max: number): string {
  const t = safeText(s);
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** `a, b, c and 4 more`, each shown as `oneLine`. */
function listed(items: readonly string[]): string {
  return someOf(items, 3, (i) => oneLine(i, 80));
}

function shownSeconds(seconds: number): string {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? shownTime(new Date(ms).toISOString()) : `${seconds} seconds after 1970`;
}

/** Whether `.specgate/config.yml` in the base commit lets an author approve their own change. */
async function selfApprovalAllowed(git: Git, trustBase: string | null): Promise<boolean> {
  const configText = await showAt(git, trustBase, CONFIG_PATH);
  try {
    return configText ? parseConfig(configText).allowSelfApproval : false;
  } catch {
    return false;
  }
}

function readPacket(value: unknown, file: string): Packet {
  const p = value as Packet;
  if (!p || typeof p !== 'object' || p.schema !== 'specgate.report/1' || !isDigest(p.digest) || typeof p.spec?.id !== 'string' || !p.base) {
    throw new UsageError(`${file} is not a SpecGate review packet (packet.json of a bundle made by specgate bundle)`);
  }
  return p;
}

async function loadPacket(cwd: string, target: string): Promise<{ packet: Packet; file: string }> {
  const abs = path.resolve(cwd, target);
  const st = await stat(abs).catch(() => undefined);
  if (!st) throw new UsageError(`bundle not found: ${target} (pass the bundle folder or its packet.json)`);
  const file = st.isDirectory() ? path.join(abs, 'packet.json') : abs;
  if (isPartialBundleFolderName(path.basename(path.dirname(file)))) {
    throw new UsageError(`${target} is a bundle that was never finished (its writer was stopped before it got its name); run specgate bundle again and review the new bundle`);
  }
  const fst = await stat(file).catch(() => undefined);
  if (!fst?.isFile()) throw new UsageError(`no packet.json in ${target}; pass a folder written by specgate bundle`);
  if (fst.size > MAX_PACKET) throw new UsageError(`${file} is too large to be a review packet`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new UsageError(`${file} is not valid JSON; pass a folder written by specgate bundle`);
  }
  return { packet: readPacket(json, file), file };
}

/**
 * Refuses a bundle made in another repository: its base commit must be here. (Root commits
 * are compared only when there is no base commit, since a shallow clone has other roots.)
 */
async function checkSameRepository(git: Git, packet: Packet, file: string): Promise<void> {
  const roots = packet.repository?.roots;
  if (packet.base.commit === null && Array.isArray(roots) && roots.length > 0) {
    const mine = new Set(await rootCommits(git));
    if (!roots.some((r) => typeof r === 'string' && mine.has(r))) {
      throw new UsageError(`${file} was made in another repository (no common root commit with ${git.root}); approve it in the repository it came from`);
    }
  }
  const commit = packet.base.commit;
  if (commit !== null) {
    const known =
      typeof commit === 'string' &&
      /^[0-9a-f]{40,64}$/.test(commit) &&
      (await git.exec(['cat-file', '-e', `${commit}^{commit}`], { allowExit: [1, 128] })).code === 0;
    if (!known) {
      throw new UsageError(`${file} was made in another repository (its base commit ${String(commit).slice(0, 12)} is not in ${git.root}); fetch it or approve in the repository it came from`);
    }
  }
}

/**
 * What stood at a record's name when approve looked: nothing (`absent`), or a file of this
 * identity. Publishing checks it still holds, so that a record another approve wrote
 * meanwhile is never replaced without its reviewer being asked.
 */
type Found = { absent: true } | { absent: false; identity: string };

async function identityOf(file: string): Promise<string | undefined> {
  const st = await lstat(file, { bigint: true }).catch(() => undefined);
  return st ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : undefined;
}

/** Another approve wrote the record while this one was signing (see writePair). */
class RecordRace extends Error {}

/**
 * Writes a record and its signature, each to a hidden new file `.<name>.partial-<pid>-<hex>`
 * beside it (never through a symbolic link an assistant may have put there), flushed to
 * disk, then given its name: a file by the record's name is always whole. The record is
 * published first, and only if what stood at its name is still what approve saw (`found`):
 * where there was nothing, by a hard link, which fails if another approve published one
 * meanwhile (then nothing is written, its signature included); otherwise by a rename after
 * checking the file is the same one. The signature follows. A crash between the two leaves
 * the new record beside no signature or the earlier one, which verify refuses and the next
 * approve replaces: never a new record verify could take. Leftovers of killed writers are
 * removed (see partials.ts).
 */
async function writePair(dir: string, [record, signature]: [[string, string], [string, string]], found: Found): Promise<void> {
  await makeFolders(dir);
  await removeStalePartials(dir, isPartialApprovalName, 'file');
  const temps: string[] = [];
  const target = path.join(dir, record[0]);
  try {
    for (const [name, data] of [record, signature]) {
      const temp = path.join(dir, `.${name}.partial-${process.pid}-${randomBytes(3).toString('hex')}`);
      temps.push(temp);
      await writeNewFile(temp, data);
    }
    if (found.absent) {
      try {
        await link(temps[0]!, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new RecordRace();
        // A file system without hard links: created new, never over a record that appeared.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
        await copyNewFile(temps[0]!, target).catch((e: NodeJS.ErrnoException) => {
          throw e.code === 'EEXIST' ? new RecordRace() : e;
        });
        await syncFiles([target]);
      }
      await rm(temps[0]!, { force: true });
    } else {
      if ((await identityOf(target)) !== found.identity) throw new RecordRace();
      await rename(temps[0]!, target);
    }
    await rename(temps[1]!, path.join(dir, signature[0]));
    await syncFolder(dir);
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw err;
  }
}

/** A key blob as it identifies its holder: for a certificate, the key it certifies. */
function holderKey(blob: string | undefined): string | undefined {
  return blob === undefined ? undefined : (parseCertificate(blob)?.key ?? blob);
}

/** `SHA256:…` as `ssh-keygen -l` prints it for a key blob (base64). */
function fingerprint(blob: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

const DECISION_NOUN: Record<Decision, string> = { approved: 'approval', rejected: 'rejection' };

/**
 * The record already at `rel` for `digest`, or undefined when there is none. Never throws:
 * whatever is there that verify could not take is `invalid`, with the reason. Record text is
 * untrusted: everything kept from it is made one line with control characters visible.
 */
async function readEarlier(root: string, rel: string, digest: string, allowed: string): Promise<{ earlier: EarlierRecord; key?: string } | undefined> {
  const abs = path.join(root, rel);
  const invalid = (problem: string) => ({ earlier: { rel, kind: 'invalid' as const, problem: oneLine(problem, 200) } });
  let st;
  try {
    st = await lstat(abs);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : invalid(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!st.isFile()) return invalid(st.isSymbolicLink() ? 'is a symbolic link' : 'is not a regular file');
  if (st.size > MAX_RECORD) return invalid('is too large to be a record');
  let text: string;
  try {
    text = recordText(await readFile(abs, 'utf8'));
  } catch (err) {
    return invalid(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = parseApproval(text);
  if (!parsed.ok) return invalid(parsed.problem);
  const record = parsed.record;
  if (record.digest !== digest) return invalid(`holds the record of ${shortDigest(record.digest)}`);
  const sig = await readSmall(path.join(root, signaturePathFor(rel)));
  if (sig === undefined) return invalid('has no signature');
  if (!(await checkSignature(sig, text).catch(() => false))) return invalid('does not match its signature');
  const key = holderKey(signatureKey(sig));
  if (key === undefined) return invalid('has a signature that names no key');
  const principal = (await verifySignature(allowed, undefined, sig, text).catch(() => ({ ok: false, principal: undefined }))).principal;
  const claimed = record.reviewer.principal || record.reviewer.email || record.reviewer.name;
  const by = principal ? oneLine(principal, 80) : claimed ? `"${oneLine(claimed, 80)}" (a key ${ALLOWED_SIGNERS_PATH} on the base does not list)` : `a key ${ALLOWED_SIGNERS_PATH} on the base does not list`;
  const comment = record.comment ? oneLine(record.comment.replace(/\s+/g, ' '), 200) : undefined;
  return { earlier: { rel, kind: 'other', decision: record.decision, time: oneLine(record.time, 64), comment, by, fingerprint: fingerprint(key) }, key };
}

/** What a reviewer is told of the record their decision replaced, or undefined when nothing needs saying. */
function replacedMessage(e: EarlierRecord, decision: Decision): string | undefined {
  if (e.kind === 'invalid') return `replaced ${e.rel}, which ${e.problem} and so was no valid record`;
  if (e.kind === 'own') return e.decision === decision ? undefined : `replaced your earlier ${DECISION_NOUN[e.decision!]} of this change`;
  return `replaced the earlier ${DECISION_NOUN[e.decision!]} by ${e.by} (${e.fingerprint}) of this change`;
}

/** One line naming another reviewer's record: "a rejection by alice@example.com (SHA256:…) at 2026-11-23 14:05:09 UTC: comment". */
export function describeEarlier(e: EarlierRecord): string {
  const at = e.time === undefined ? '' : ` at ${shownTime(e.time)}`;
  return `${e.decision === 'rejected' ? 'a rejection' : 'an approval'} by ${e.by} (${e.fingerprint})${at}${e.comment ? `: ${e.comment}` : ''}`;
}

/** Signs an approval (or rejection) of a bundle whose digest is still the current change's. */
export async function approve(o: ApproveOptions): Promise<ApproveResult> {
  const git = await Git.open(o.cwd);
  // The bundle first: a wrong path is the more likely mistake, and it needs no key to report.
  const { packet, file } = await loadPacket(o.cwd, o.path);
  await checkSameRepository(git, packet, file);
  let key = o.key;
  if (!key) {
    const format = await git.configValue('gpg.format');
    const configured = format === 'ssh' ? await git.configValue('user.signingkey') : undefined;
    if (!configured) {
      const other = (await git.configValue('user.signingkey')) ? ` (git's user.signingkey is for gpg.format ${oneLine(format ?? 'openpgp', 20)}, not ssh)` : '';
      throw new UsageError(`pass --key with your SSH private key (e.g. --key ~/.ssh/id_ed25519), or set it as git signs with it: git config gpg.format ssh and git config user.signingkey <key>${other}`);
    }
    // git's literal form, for a key held by ssh-agent: signed through the agent.
    if (configured.startsWith('key::')) return withAgentKey(configured.slice('key::'.length), o.ssh?.env ?? process.env, (pub) => signApproval(o, git, packet, pub));
    key = configured;
  }
  return signApproval(o, git, packet, key);
}

/** approve's work once the bundle is loaded and the key known (a path; `~/…` is under HOME). */
async function signApproval(o: ApproveOptions, git: Git, packet: Packet, key: string): Promise<ApproveResult> {
  // `~/…` as git reads user.signingkey, and for a --key the shell did not expand (quoted, or
  // from an editor setting).
  const keyPath = path.resolve(o.cwd, key.replace(/^~(?=\/)/, process.env.HOME ?? '~'));

  const mode = packet.change?.mode === 'staged' ? 'staged' : 'worktree';
  const base = typeof packet.change?.base === 'string' ? packet.change.base : undefined;
  const now = await analyzeRepository({ cwd: git.root, spec: packet.spec.id, base, staged: mode === 'staged' });
  if (now.report.digest !== packet.digest) {
    // Another checkout (the reviewer still on main, say): bundling here would review another
    // change, maybe an empty one, so the way out is the bundle's own checkout.
    const made = packet.base.commit;
    const here = now.changeSet.base.commit;
    const made12 = typeof made === 'string' && /^[0-9a-f]{12,64}$/.test(made) ? made.slice(0, 12) : 'no commit';
    const how = base !== undefined ? ` (the merge base with ${oneLine(base, 80)})` : mode === 'staged' ? ' (HEAD, the staged change)' : ' (HEAD)';
    if (base !== undefined && typeof made === 'string' && here && made !== here && (await isStrictAncestor(git, here, made))) {
      // The same branch, but this clone's target is older than the one the bundle was made
      // with (`gh pr checkout` and `git fetch origin <branch>` leave it where it was).
      throw new UsageError(
        `the bundle is for the change from ${made12} (the merge base with ${oneLine(base, 80)} where it was made), and here ${oneLine(base, 80)} is older: the merge base is ${here.slice(0, 12)}, so this clone shows the target's newer commits as part of the change; fetch the target (git fetch) and approve again`,
      );
    }
    if (made !== here || now.report.changes.length === 0) {
      const what = now.report.changes.length === 0 ? 'here there is no change' : `here the change starts from ${here ? here.slice(0, 12) : 'no commit'}`;
      const files = Array.isArray(packet.changes) ? packet.changes.length : 0;
      throw new UsageError(
        `the bundle is not for this checkout: it is for the change from ${made12}${how} in ${files} ${files === 1 ? 'file' : 'files'}, and ${what} (another branch is checked out, or HEAD has moved); check out what the bundle was made on and approve again, or run specgate bundle here to review this checkout's change`,
      );
    }
    // A file with a record's name that is no record (cut short, not JSON, edited) is a file of
    // the change, so it alone can make the bundle stale: name it, as verify does.
    const inBundle = new Set(Array.isArray(packet.changes) ? packet.changes.map((c) => c?.path) : []);
    const broken = now.report.changes.filter((c) => c.status !== 'deleted' && recordKind(c.path) !== undefined && !inBundle.has(c.path)).map((c) => c.path);
    const why = broken.length
      ? `; the change now holds ${someOf(broken, 3, safePath)}, ` +
        (broken.length === 1 ? "which has a SpecGate record's name but is no record (damaged or edited): delete it" : "which have SpecGate records' names but are no records (damaged or edited): delete them") +
        ' or put back what SpecGate wrote, then approve again'
      : '; run specgate bundle again and review the new bundle';
    throw new UsageError(`the bundle is stale: it is for ${shortDigest(packet.digest)}, the change is now ${shortDigest(now.report.digest)}${why}`);
  }

  const trustBase = now.changeSet.base.commit;
  const allowed = (await showAt(git, trustBase, ALLOWED_SIGNERS_PATH)) ?? '';
  const publicKey = await publicKeyOf(keyPath);
  const certificate = parseCertificate(publicKey?.split(' ')[1]);
  if (certificate?.validBefore !== undefined && Date.now() / 1000 >= certificate.validBefore) {
    throw new UsageError(`the certificate ${key} expired at ${shownSeconds(certificate.validBefore)}; get a new certificate from its authority and approve again`);
  }
  const authors = await changeAuthors(git, trustBase, await git.headCommit());
  const tip = mode === 'worktree' ? await targetTip(git, base, trustBase) : undefined;
  const lists = tip && tip.allowed !== allowed ? [allowed, tip.allowed] : [allowed];
  const uncommitted = () => (base !== undefined ? hasUncommittedWork(git.root, now.spec.id) : Promise.resolve(true));
  // The reviewer verify will name: an author of the change when the key is also theirs.
  let owner = publicKey ? await changeOwner(lists, publicKey.split(' ')[1], [], authors, uncommitted) : undefined;
  const principal = owner ?? (publicKey ? principalFor(allowed, publicKey) : undefined);
  const [userName, userEmail] = await Promise.all([git.userName(), git.userEmail()]);
  const reviewer = {
    name: principal ?? userName ?? '',
    email: principal && principal.includes('@') ? principal : (userEmail ?? ''),
    ...(principal ? { principal } : {}),
  };
  const record = makeApproval({
    digest: packet.digest,
    spec: now.spec.id,
    base: now.report.base,
    decision: o.reject ? 'rejected' : 'approved',
    reviewer,
    time: o.now ?? new Date(),
    comment: o.comment,
    version: VERSION,
  });
  const bytes = serializeApproval(record);
  const rel = approvalPath(record.digest);
  const abs = path.join(git.root, rel);

  // One record per digest: another reviewer's is replaced only when the reviewer says so
  // (asked before signing when the key's public half is at hand, else once it has signed).
  // What stands at the record's name now: publishing checks it is still that (writePair).
  const seenIdentity = await identityOf(abs);
  const seen: Found = seenIdentity === undefined ? { absent: true } : { absent: false, identity: seenIdentity };
  const found = await readEarlier(git.root, rel, record.digest, allowed);
  const earlier = found?.earlier;
  let confirmed = false;
  // `signed`: the signer is the new signature's key; before that it may be unknown (no .pub), and then nothing is decided yet.
  const settle = async (signer: string | undefined, signed: boolean): Promise<void> => {
    if (!found || !earlier || earlier.kind === 'invalid' || confirmed || (signer === undefined && !signed)) return;
    earlier.kind = signer !== undefined && signer === found.key ? 'own' : 'other';
    if (earlier.kind === 'own') return;
    confirmed = true;
    if (o.force) return;
    if (!o.confirmReplace) {
      throw new UsageError(
        `${rel} already holds ${describeEarlier(earlier)}; there is one record per change, so your ${DECISION_NOUN[record.decision]} would replace it — pass --force to replace another reviewer's record`,
      );
    }
    if (!(await o.confirmReplace({ ...earlier }))) throw new ReplaceDeclined({ ...earlier });
  };
  await settle(holderKey(publicKey?.split(' ')[1]), false);
  const signature = await sign(keyPath, bytes, o.ssh);
  await settle(holderKey(signatureKey(signature)), true);
  try {
    await writePair(
      path.dirname(abs),
      [
        [path.basename(abs), bytes],
        [path.basename(signaturePathFor(abs)), signature],
      ],
      seen,
    );
  } catch (err) {
    if (err instanceof RecordRace) {
      throw new UsageError(`${rel} was written by another approve of this change while this one was signing; nothing was written: run specgate approve again to see that record and decide`);
    }
    throw new UsageError(`cannot write ${rel}: ${(err as Error).message}`);
  }
  const result: ApproveResult = { file: abs, signature: signaturePathFor(abs), record, report: now.report };
  const shown = packet.base.commit;
  const current = now.report.base.commit;
  if (typeof shown === 'string' && /^[0-9a-f]{12,64}$/.test(shown) && current && shown !== current) {
    result.note = `the base moved from ${shown.slice(0, 12)}, which the bundle shows, to ${current.slice(0, 12)}; the change's content is the same, and the record names ${current.slice(0, 12)}`;
  }
  const message = earlier && replacedMessage(earlier, record.decision);
  if (earlier && message) result.replaced = { ...earlier, message };
  if (!(await verifySignature(allowed, undefined, signature, bytes)).ok) {
    const where = `${ALLOWED_SIGNERS_PATH} at ${(trustBase ?? '').slice(0, 12)}`;
    const certificate = trustBase ? (certificateProblem(allowed, signatureKey(signature), where) ?? lineOptionsProblem(allowed, signatureKey(signature), where)) : undefined;
    result.warning = certificate
      ? `verify will not accept the record: ${certificate}`
      : trustBase
        ? `this key is not in ${ALLOWED_SIGNERS_PATH} at ${trustBase.slice(0, 12)}, so verify will not accept the record ${base !== undefined ? `(the merge base must list it: once ${oneLine(base, 80)} does, merge it into this branch, or rebase on it, and approve again)` : `until a commit lists it there (a line "<your e-mail> <the key's .pub>" in ${ALLOWED_SIGNERS_PATH}, committed; this record then verifies)`}${await certificateHint(keyPath, publicKey)}`
        : `there is no commit yet, so no ${ALLOWED_SIGNERS_PATH} to trust this key; verify will not accept the record`;
  } else if (tip && tip.allowed !== allowed && !(await verifySignature(tip.allowed, undefined, signature, bytes)).ok) {
    result.warning = `this key is trusted in ${ALLOWED_SIGNERS_PATH} at the merge base ${(trustBase ?? '').slice(0, 12)} but not at ${tip.commit.slice(0, 12)}, the tip of ${oneLine(base!, 80)}, so verify --base will not accept the record: the target branch no longer trusts it`;
  } else if (record.decision === 'approved') {
    owner ??= await changeOwner(lists, signatureKey(signature), [], authors, uncommitted);
    if (owner && !((await selfApprovalAllowed(git, trustBase)) && (!tip || (await selfApprovalAllowed(git, tip.commit))))) {
      const how = { key: 'lists this key', certificate: 'trusts this certificate', 'certified-key': 'lists the key of this certificate' }[ownedAs(allowed, signatureKey(signature), owner)];
      result.warning = `${ALLOWED_SIGNERS_PATH} at ${(trustBase ?? '').slice(0, 12)} ${how} for ${owner}, an author of the change, so verify will refuse the record as self-approval; another trusted reviewer must approve it (or set allowSelfApproval: true in ${CONFIG_PATH} on the base)`;
    }
  }
  return result;
}

/**
 * Whoever authored the change: `committed`, the authors and committers of the commits since
 * the base that touch it; `toBe`, the committer-to-be (`user.email`, `GIT_AUTHOR_IDENT`,
 * `GIT_COMMITTER_IDENT`), who authors whatever of the change is not committed yet.
 */
async function changeAuthors(git: Git, base: string | null, head: string | null): Promise<{ committed: Set<string>; toBe: Set<string> }> {
  const committed = new Set<string>();
  const toBe = new Set<string>();
  const add = (to: Set<string>, e: string | undefined) => {
    const v = e?.trim().toLowerCase();
    if (v) to.add(v);
  };
  add(toBe, await git.userEmail());
  for (const v of ['GIT_AUTHOR_IDENT', 'GIT_COMMITTER_IDENT']) {
    const r = await git.exec(['var', v], { allowExit: [128] });
    add(toBe, /<([^>]*)>/.exec(r.stdout)?.[1]);
  }
  if (base && head && base !== head) {
    await refuseCutHistory(git, base, head);
    // (`--no-show-signature`: log.showSignature would print signature checks into the output.)
    // Commits that only add approval records or bundles are the reviewer's, not the change's;
    // one that touches anything else, in the record folders too (see core/records.ts), counts.
    // Every commit of the range is walked (--full-history: a merge that took one side whole
    // must not hide the other side's commits). Merges are judged apart (mergeAuthors): one
    // that only brings the target in (GitHub's "Update branch", `git merge main` without a
    // conflict) has no author; any other counts.
    const [out, inRecordDirs, merges] = await Promise.all([
      git.run(['log', '--no-show-signature', '-z', '--full-history', '--no-merges', '--format=%ae%x01%ce', `${base}..${head}`, '--', '.', ...RECORD_DIRS.map((d) => `:(top,exclude)${d.slice(0, -1)}`)]),
      commitsTouchingNonRecords(git, base, head),
      mergeAuthors(git, base, head),
    ]);
    for (const rec of out.split('\0')) for (const e of rec.split('\x01')) add(committed, e);
    for (const e of [...inRecordDirs, ...merges]) add(committed, e);
  }
  return { committed, toBe };
}

/**
 * The author of the change whose key signed (see authorsOwningKey), under any of the
 * `allowed` lists: first among the commits' authors, then the committer-to-be. With --base a
 * change can be all commits, and then whoever runs the command (a reviewer who checked the
 * branch out) authored none of it: the committer-to-be counts only when `uncommitted` says
 * some of the change is not committed yet. Without --base the change is what is not committed.
 */
async function changeOwner(
  allowed: readonly string[],
  keyBlob: string | undefined,
  found: readonly string[],
  authors: { committed: Set<string>; toBe: Set<string> },
  uncommitted: () => Promise<boolean>,
): Promise<string | undefined> {
  const owner = (set: Set<string>) => allowed.map((list) => authorsOwningKey(list, keyBlob, found, set)[0]).find((o) => o !== undefined);
  const byCommit = owner(authors.committed);
  if (byCommit !== undefined) return byCommit;
  const byUser = owner(authors.toBe);
  return byUser !== undefined && (await uncommitted()) ? byUser : undefined;
}

/**
 * Whether the work tree (or index) holds some of the change that HEAD does not: the change
 * of `spec` against HEAD is not empty (SpecGate's own records left out). When that cannot be
 * told, true: the committer-to-be then counts as an author, the safe side.
 */
async function hasUncommittedWork(cwd: string, spec: string): Promise<boolean> {
  return analyzeRepository({ cwd, spec }).then(
    (a) => a.report.changes.length > 0,
    () => true,
  );
}

/**
 * With --base, the tip of the target branch (when it is not the merge base itself) and its
 * allowed_signers: a key the target has removed since the branch forked is not trusted,
 * nor a loosening of the config it has taken back.
 */
async function targetTip(git: Git, base: string | undefined, trustBase: string | null): Promise<{ commit: string; allowed: string } | undefined> {
  if (base === undefined || trustBase === null) return undefined;
  const commit = await git.resolveCommit(base);
  if (commit === trustBase) return undefined;
  return { commit, allowed: (await showAt(git, commit, ALLOWED_SIGNERS_PATH)) ?? '' };
}

/**
 * The commit of `base`'s history that added the record `text` at `rel`, if one did: the
 * record approved this change when it was applied before (reverted or undone since), and an
 * approval counts once. Read from git's history of that path, compared byte for byte.
 */
async function recordInHistory(git: Git, base: string | null, rel: string, text: string): Promise<string | undefined> {
  if (!base) return undefined;
  for (const [blob, at] of await recordBlobsInLog(git, base, rel)) {
    const r = await git.exec(['cat-file', 'blob', blob], { allowExit: [128], encoding: 'buffer' });
    // Read as the presented record was (recordText): a record committed with CRLF ends is the same record.
    if (r.code === 0 && recordText(r.stdout.toString('utf8')) === text) return at;
  }
  return undefined;
}

/**
 * Each blob `git log REVS` shows at `rel`, with the oldest commit that wrote it. `-m`: a
 * merge's files too (git log prints none for a merge without it), against each parent.
 */
async function recordBlobsInLog(git: Git, revs: string, rel: string): Promise<Map<string, string>> {
  const out = (await git.run(['log', '--no-show-signature', '--format=%x01%H', '--raw', '-m', '--no-abbrev', '--no-renames', ...SAFE_DIFF_FLAGS, revs, '--', `:(top,literal)${rel}`])) as string;
  const blobs = new Map<string, string>();
  let commit = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('\x01')) commit = line.slice(1);
    else if (line.startsWith(':')) {
      const blob = line.split('\t')[0]!.split(' ')[3];
      // Newest first: the last commit seen is the oldest.
      if (blob && !/^0+$/.test(blob)) blobs.set(blob, commit);
    }
  }
  return blobs;
}

/**
 * With --base, a later decision on this change that the branch held at `rel` and then took
 * back: a record of the same digest, signed, trusted by `allowedBase`, and made after the
 * one presented (its signed time). The reviewer who rejected a change (or approved it anew)
 * replaced their record; whoever can push to the branch could otherwise put the earlier
 * approval back. Looked for in the branch's own commits (base..HEAD, merges too).
 */
async function laterRecordInBranch(
  git: Git,
  base: string,
  rel: string,
  presented: ApprovalRecord,
  text: string,
  allowedBase: string,
): Promise<{ record: ApprovalRecord; commit: string; by: string } | undefined> {
  const presentedAt = Date.parse(presented.time);
  for (const [blob, at] of await recordBlobsInLog(git, `${base}..HEAD`, rel)) {
    const r = await git.exec(['cat-file', 'blob', blob], { allowExit: [128], encoding: 'buffer' });
    if (r.code !== 0 || r.stdout.length > MAX_RECORD) continue;
    const other = recordText(r.stdout.toString('utf8'));
    if (other === text) continue;
    const parsed = parseApproval(other);
    if (!parsed.ok || parsed.record.digest !== presented.digest || !(Date.parse(parsed.record.time) > presentedAt)) continue;
    const sig = await showAt(git, at, signaturePathFor(rel));
    if (sig === undefined || !(await checkSignature(recordText(sig), other))) continue;
    const by = (await findPrincipals(allowedBase, recordText(sig)))[0];
    if (by !== undefined) return { record: parsed.record, commit: at, by };
  }
  return undefined;
}

/**
 * The author and committer emails of the commits in base..head that add or change a file in
 * the record folders that is not a record (by name, and by shape as the commit holds it).
 */
async function commitsTouchingNonRecords(git: Git, base: string, head: string): Promise<string[]> {
  // (Merges are mergeAuthors'.)
  const out = await git.run(
    ['log', '--no-show-signature', '-z', '--full-history', '--no-merges', '--format=%x01%ae%x00%ce', '--raw', '--no-abbrev', '--no-renames', ...SAFE_DIFF_FLAGS, `${base}..${head}`, '--', ...RECORD_DIRS.map((d) => `:(top)${d.slice(0, -1)}`)],
    { encoding: 'buffer' },
  );
  const commits: { emails: string[]; files: BlobFile[]; other: boolean }[] = [];
  let pos = 0;
  while (pos < out.length) {
    if (out[pos] === 0 || out[pos] === 10) {
      pos++;
      continue;
    }
    if (out[pos] !== 1) throw new Error('git log: unexpected output');
    const ae = out.indexOf(0, pos + 1);
    const ce = ae === -1 ? -1 : out.indexOf(0, ae + 1);
    if (ce === -1) throw new Error('git log: truncated output');
    const c = { emails: [out.subarray(pos + 1, ae).toString('utf8'), out.subarray(ae + 1, ce).toString('utf8')], files: [] as BlobFile[], other: false };
    pos = ce + 1;
    if (out[pos] === 10) pos++;
    const raw = parseRawZ(out, pos, true);
    for (const e of raw.entries) {
      if (e.status === 'D') c.other ||= recordKind(e.path) === undefined;
      else if (recordKind(e.path) === undefined) c.other = true;
      else c.files.push({ path: e.path, blob: e.newBlob, mode: e.newMode });
    }
    pos = raw.end;
    commits.push(c);
  }
  const all = commits.flatMap((c) => c.files);
  const ok = await recordsInBlobs(git, all);
  let i = 0;
  for (const c of commits) for (let n = 0; n < c.files.length; n++) if (!ok[i++]) c.other = true;
  return commits.filter((c) => c.other).flatMap((c) => c.emails);
}

/** A full commit, tree or blob id (SHA-1 or SHA-256). */
const OBJECT_ID = /^[0-9a-f]{40,64}$/;

/**
 * In a shallow clone, the commits of the change below the cut are missing, and their authors
 * with them (a commit on top by someone else would hide whoever wrote the code): when the cut
 * falls inside `base..head`, the authors cannot be known, and the check stops.
 */
async function refuseCutHistory(git: Git, base: string, head: string): Promise<void> {
  if (!(await git.isShallow())) return;
  const file = path.resolve(git.root, (await git.run(['rev-parse', '--git-path', 'shallow'])).trim());
  const cut = new Set((await readFile(file, 'utf8').catch(() => '')).split('\n').map((l) => l.trim()).filter((l) => OBJECT_ID.test(l)));
  if (cut.size === 0) return;
  const inRange = (await git.run(['rev-list', `${base}..${head}`])).split('\n').find((c) => cut.has(c.trim()));
  if (inRange) {
    throw new UsageError(
      `this shallow clone cuts the change's history at ${inRange.trim().slice(0, 12)}, so who wrote the commits before it cannot be known; fetch the whole history (git fetch --unshallow, or fetch-depth: 0 in CI) and try again`,
    );
  }
}

/** Whether commit `a` is an ancestor of `b` and not `b` itself (false when git cannot tell). */
async function isStrictAncestor(git: Git, a: string, b: string): Promise<boolean> {
  return a !== b && OBJECT_ID.test(a) && OBJECT_ID.test(b) && (await git.isAncestor(a, b));
}

/** Most merges in a change whose content is looked at; past it, merges count as authored (the safe side). */
const MAX_MERGES_LOOKED_AT = 64;

/**
 * The authors and committers of the merge commits of `base..head`, except merges that only
 * bring the target in: two parents, the first one in the change's range (the branch's side),
 * the second one reachable from the base (the target's side), and a tree that is exactly
 * what git makes of merging the two by itself (`git merge-tree --write-tree`, no conflict).
 * Such a merge's author chose nothing. A merge that
 * resolved a conflict, picked sides (`-s ours`, a hunk of the target put back as it was),
 * changed anything in passing or has more parents counts, as does any merge git cannot redo
 * (a git older than 2.38, a repository that configures a merge driver) and every merge past
 * the first MAX_MERGES_LOOKED_AT. git's trial merge writes its objects to a scratch folder,
 * never into the repository.
 */
async function mergeAuthors(git: Git, base: string, head: string): Promise<string[]> {
  const merges = (await git.run(['log', '--no-show-signature', '-z', '--merges', '--format=%H %T %P%x01%ae%x01%ce', `${base}..${head}`]))
    .split('\0')
    .filter((rec) => rec.trim() !== '')
    .map((rec) => {
      const [ids, ...emails] = rec.replace(/^\n/, '').split('\x01');
      return { ids: (ids ?? '').trim().split(' '), emails };
    });
  if (merges.length === 0) return [];
  const authored: string[] = [];
  // A merge driver the repository configures is a command git would run for the trial merge:
  // none is run, and every merge counts (the safe side).
  const drivers = await git.exec(['config', '-z', '--get-regexp', '^merge\\..+\\.driver$'], { allowExit: [1] });
  if (drivers.code === 0 && drivers.stdout !== '') return merges.flatMap((m) => m.emails);
  const objects = path.resolve(git.root, (await git.run(['rev-parse', '--git-path', 'objects'])).trim());
  const scratch = await mkdtemp(path.join(tmpdir(), 'specgate-merge-'));
  try {
    // The repository's objects as the scratch folder's alternate, in its info/alternates file
    // (GIT_ALTERNATE_OBJECT_DIRECTORIES is split at ':', which a path may hold).
    await mkdir(path.join(scratch, 'info'), { recursive: true });
    await writeFile(path.join(scratch, 'info', 'alternates'), `${objects}\n`);
    // Past the first MAX_MERGES_LOOKED_AT, merges count without a look (the safe side).
    for (const m of merges.slice(MAX_MERGES_LOOKED_AT)) authored.push(...m.emails);
    await mapLimit(merges.slice(0, MAX_MERGES_LOOKED_AT), 2, async (m) => {
      if (!(await onlyBringsTargetIn(git, base, m.ids, scratch))) authored.push(...m.emails);
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return authored;
}

/** Whether a merge (`ids`: its id, tree and parents) is git's own merge of the branch and the target, as mergeAuthors says. */
async function onlyBringsTargetIn(git: Git, base: string, ids: readonly string[], scratch: string): Promise<boolean> {
  if (ids.length !== 4 || !ids.every((id) => OBJECT_ID.test(id))) return false;
  const [, tree, first, second] = ids as [string, string, string, string];
  // The first parent is the branch's side (in the change's range), the second the target's.
  if ((await git.isAncestor(first, base)) || !(await git.isAncestor(second, base))) return false;
  const redone = await git.exec(['merge-tree', '--write-tree', '--no-messages', first, second], {
    allowExit: [1, 128, 129],
    env: { GIT_OBJECT_DIRECTORY: scratch },
  });
  return redone.code === 0 && redone.stdout.split('\n', 1)[0]!.trim() === tree;
}

/** A record read from the approvals folder: its repo-relative path, what it says, and its bytes (which its signature covers). */
interface ListedRecord {
  rel: string;
  record: ApprovalRecord;
  text: string;
}

async function listRecords(root: string): Promise<ListedRecord[]> {
  const dir = path.join(root, APPROVALS_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ListedRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).slice(0, 5000)) {
    const text = await readSmall(path.join(dir, name));
    if (text === undefined) continue;
    const parsed = parseApproval(text);
    if (parsed.ok) out.push({ rel: `${APPROVALS_DIR}/${name}`, record: parsed.record, text });
  }
  return out;
}

/** A regular file's text (a CRLF checkout of a record as written: see recordText), or undefined (missing, a symlink, a folder, or too large). */
async function readSmall(file: string): Promise<string | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_RECORD) return undefined;
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : recordText(text);
}

/**
 * Who a record that does not apply is by, for a refusal line: ` by <principal>` when its
 * signature verifies against `allowedBase` (the same check an accepted record passes: a
 * principal of the base's allowed_signers, for this record's bytes, namespace specgate), so
 * a name is only ever one the base trusts; else an `unverified` note saying so, naming nobody
 * (the reviewer the record names is the record's own word, which anyone can write).
 */
async function recordSigner(root: string, r: ListedRecord, allowedBase: string, where: string): Promise<{ by: string; unverified: string }> {
  const sig = await readSmall(path.join(root, signaturePathFor(r.rel)));
  const checked = sig === undefined ? undefined : await verifySignature(allowedBase, undefined, sig, r.text).catch(() => undefined);
  if (checked?.ok && checked.principal) return { by: ` by ${oneLine(checked.principal, 80)}`, unverified: '' };
  const why = sig === undefined ? 'it has no signature' : `its signature does not verify against ${ALLOWED_SIGNERS_PATH} at ${where}`;
  return { by: '', unverified: `an unverified record: ${why}` };
}

/**
 * The approvals of this spec (newest first) that were made against HEAD when HEAD was the
 * merge base `base` or a commit after it on the way to `head` (not `head` itself): as the
 * pre-commit gate makes them, each for one commit's change on this branch. Read from what
 * the records say (base ref `HEAD`, base commit) and the branch's history, nothing guessed.
 */
async function perCommitApprovals<T extends ListedRecord>(git: Git, base: string, head: string | null, records: readonly T[]): Promise<T[]> {
  const candidates = records.filter((r) => r.record.decision === 'approved' && r.record.base.ref === 'HEAD' && r.record.base.commit !== null);
  if (candidates.length === 0 || head === null || head === base) return [];
  const onBranch = new Set(((await git.run(['rev-list', `${base}..${head}`])) as string).split('\n').filter(Boolean));
  onBranch.delete(head);
  onBranch.add(base);
  return candidates.filter((r) => onBranch.has(r.record.base.commit!));
}

/**
 * Whether this runs in the pre-commit hook of a commit that builds its own index from the
 * work tree: git gives the hook `index.lock` for `git commit -a` and `-i`, and a
 * `next-index-<pid>.lock` for `git commit <paths>`, instead of the index itself.
 */
function commitBuildsOwnIndex(): boolean {
  const index = process.env.GIT_INDEX_FILE;
  if (!index) return false;
  const name = path.basename(index);
  return name === 'index.lock' || /^next-index-\d+\.lock$/.test(name);
}

/** What to do for an approval of the change: `run specgate bundle<flag> and have a trusted reviewer run specgate approve on it`. */
const BUNDLE_AND_APPROVE = (flag: string): string => `run specgate bundle${flag} and have a trusted reviewer run specgate approve on it`;

/**
 * The digest of the same spec's change in the other local mode (the index when `o` is the
 * working tree, and the other way round), or undefined when it cannot be taken.
 */
async function otherModeDigest(o: VerifyOptions, specId: string): Promise<string | undefined> {
  try {
    return (await analyzeRepository({ cwd: o.cwd, spec: specId, staged: !o.staged })).report.digest;
  } catch {
    return undefined;
  }
}

/**
 * The newest record of another spec, made from the same base, whose digest is this change's
 * digest under that spec: the same change, approved with the other spec. At most three
 * other specs are analysed (a refusal should not take long).
 */
async function approvedUnderOtherSpec<T extends ListedRecord>(
  o: VerifyOptions,
  specId: string,
  base: string | null,
  records: readonly T[],
): Promise<T | undefined> {
  const bySpec = new Map<string, T>();
  for (const r of records) if (r.record.spec !== specId && r.record.base.commit === base && !bySpec.has(r.record.spec)) bySpec.set(r.record.spec, r);
  for (const [spec, r] of [...bySpec].slice(0, 3)) {
    const digest = await analyzeRepository({ cwd: o.cwd, spec, base: o.base, staged: o.staged }).then(
      (a) => (a.spec.id === spec ? a.report.digest : undefined),
      () => undefined,
    );
    if (digest === r.record.digest) return r;
  }
  return undefined;
}

/**
 * The first of `records` (newest first) that the base commit does not hold: one it holds
 * approved a change that is already part of the base, so it is history, not a near miss.
 */
async function newestNotInBase<T extends { rel: string }>(git: Git, base: string | null, records: readonly T[]): Promise<T | undefined> {
  if (records.length === 0) return undefined;
  const held = new Set(
    base ? ((await git.run(['ls-tree', '-z', '--name-only', '--full-tree', base, '--', `${APPROVALS_DIR}/`])) as string).split('\0').filter(Boolean) : [],
  );
  return records.find((r) => !held.has(r.rel));
}

/**
 * Without --spec, with several specs and no branch name to pick one (CI checks a pull
 * request out on a detached HEAD): the analysis under the one spec, of those with records,
 * whose change has a record of its own digest (approved or rejected). The digest binds the
 * spec's files, so a record made for one spec never passes for another. Undefined when no
 * spec or more than one has such a record. At most ten specs are analysed.
 */
async function analysisWithRecord(o: VerifyOptions, candidates: readonly string[]): Promise<RepositoryAnalysis | undefined> {
  const git = await Git.open(o.cwd);
  const records = await listRecords(git.root);
  const specs = candidates.filter((id) => records.some((r) => r.record.spec === id)).slice(0, 10);
  const hits: RepositoryAnalysis[] = [];
  for (const spec of specs) {
    const a = await analyzeRepository({ cwd: o.cwd, spec, base: o.base, staged: o.staged, git }).catch(() => undefined);
    if (a?.spec.id === spec && (await readSmall(path.join(git.root, approvalPath(a.report.digest)))) !== undefined) hits.push(a);
  }
  return hits.length === 1 ? hits[0] : undefined;
}

/** Decides whether the current change carries a valid, trusted approval. */
export async function verify(o: VerifyOptions): Promise<VerifyOutcome> {
  let unchosen: readonly string[] | undefined;
  const result = await analyzeRepository({ cwd: o.cwd, spec: o.spec, base: o.base, staged: o.staged }).catch(async (err: unknown) => {
    if (!(err instanceof NoSpecChosen) || o.spec !== undefined) throw err;
    const found = await analysisWithRecord(o, err.candidates);
    if (!found) unchosen = err.candidates;
    return found;
  });
  if (result === undefined) {
    // Several specs, none named by --spec or the branch, and no record for the change under
    // any: not approved (a gate in CI cannot pass --spec), saying how to get it approved. An
    // empty change has nothing to approve, whichever spec it is read against.
    const specs = unchosen ?? [];
    const first = specs[0] === undefined ? undefined : await analyzeRepository({ cwd: o.cwd, spec: specs[0], base: o.base, staged: o.staged }).catch(() => undefined);
    if (first && first.report.changes.length === 0) {
      return { ok: true, code: 'empty', reason: `nothing to approve: the change is empty (${shortDigest(first.report.digest)})`, digest: first.report.digest };
    }
    const shown = someOf(specs, 5, (s) => oneLine(s, 120));
    const how = o.staged ? ' --staged' : o.base ? ` --base ${oneLine(o.base, 80)}` : '';
    return {
      ok: false,
      code: 'no-approval',
      reason: `no approval of this change under any of its ${specs.length} specs (${shown}); bundle it for the one it implements (specgate bundle --spec ID${how}) and have that approved (a branch named after the spec picks it too)`,
      digest: '',
    };
  }
  const { git } = result;
  const digest = result.report.digest;
  const specId = result.spec.id;
  const trustBase = result.changeSet.base.commit;
  const baseName = trustBase ? trustBase.slice(0, 12) : 'the base (no commit yet)';
  const fail = (code: VerifyCode, reason: string, extra: Partial<VerifyOutcome> = {}): VerifyOutcome => ({ ok: false, code, reason, digest, ...extra });
  // How this check took the change, for the command that makes a bundle of the same change.
  const flag = o.staged ? ' --staged' : o.base ? ` --base ${oneLine(o.base, 80)}` : '';

  if (result.report.changes.length === 0) {
    return { ok: true, code: 'empty', reason: `nothing to approve: the change is empty (${shortDigest(digest)})`, digest };
  }
  const rel = approvalPath(digest);
  const abs = path.join(git.root, rel);
  const text = await readSmall(abs);
  if (text === undefined) {
    // A file with a record's name but not its shape (a record edited after signing, a
    // garbage signature) is a file of the change like any other, so it moved the digest:
    // named for what it is, not sent to a new bundle that would hold it.
    const broken = result.changeSet.changes.find((c) => c.status !== 'deleted' && (recordKind(c.path) === 'approval' || recordKind(c.path) === 'signature'));
    if (broken) {
      const shown = oneLine(broken.path, 200);
      const brokenText = await readSmall(path.join(git.root, broken.path));
      const parsed = brokenText === undefined ? undefined : parseApproval(brokenText);
      const why =
        broken.newMode === '100755'
          ? 'is executable, which a record never is'
          : brokenText === undefined
          ? `is not a regular file of at most ${MAX_RECORD / 1024} KB`
          : recordKind(broken.path) === 'signature'
            ? 'is not an SSH signature alone'
            : parsed && !parsed.ok
              ? parsed.problem
              : 'is not as approve wrote it';
      return fail(
        'tampered',
        `tampered approval: ${shown} has a record's name but ${why}, so it counts as a file of the change and the change's digest moved; put back what approve wrote (git checkout -- ${shown}, or approve again) or delete it, then verify again`,
        { record: broken.path },
      );
    }
    const all = await listRecords(git.root);
    all.sort((a, b) => (a.record.time < b.record.time ? 1 : -1));
    const records = all.filter((r) => r.record.spec === specId && r.record.digest !== digest);
    // Stale: approved from the same starting point, but the change moved on since.
    const allowedBase = (await showAt(git, trustBase, ALLOWED_SIGNERS_PATH)) ?? '';
    const signer = (r: ListedRecord) => recordSigner(git.root, r, allowedBase, baseName);
    const spec = oneLine(specId, 200);
    const latest = records.find((r) => r.record.base.commit === trustBase);
    // CI on a branch whose commits were each approved at the pre-commit gate: those records
    // are for single commits, and none for the whole change since the merge base. (A record
    // of the whole change made with --base from this merge base is a stale one, said below.)
    if (o.base && trustBase && !(latest && latest.record.base.ref !== 'HEAD')) {
      const parts = await perCommitApprovals(git, trustBase, await git.headCommit(), records);
      if (parts.length > 0) {
        const n = parts.length;
        const at = listed([...new Set(parts.map((p) => p.record.base.commit!.slice(0, 12)))].reverse());
        return fail(
          'no-approval',
          `no approval for ${shortDigest(digest)} (spec ${spec}) from the merge base ${trustBase.slice(0, 12)} of ${oneLine(o.base, 80)} and HEAD: ${n === 1 ? '1 approval of this spec covers a single commit' : `${n} approvals of this spec cover single commits`} of this branch (made against HEAD at ${at}, as the pre-commit gate does), none the whole change from ${trustBase.slice(0, 12)}; ${BUNDLE_AND_APPROVE(flag)}`,
          { record: parts[0]!.rel },
        );
      }
    }
    if (latest) {
      const { by, unverified } = await signer(latest);
      const at = `${shownTime(oneLine(latest.record.time, 64))}${unverified ? ` (${unverified})` : ''}`;
      // A rejection of an earlier state of the change is stale too; it is named for what it is.
      const noun = DECISION_NOUN[latest.record.decision];
      if (o.staged && latest.record.decision === 'approved' && commitBuildsOwnIndex()) {
        return fail(
          'stale',
          `stale approval: the approval${by} recorded at ${at} is for ${shortDigest(latest.record.digest)}, and this commit takes ${shortDigest(digest)}: git commit -a (or -i, or with paths) commits files that are not staged, and those were not approved; to commit what was approved, commit without -a, -i or paths; to commit more, stage it (git add), then ${BUNDLE_AND_APPROVE(' --staged')}`,
          { record: latest.rel },
        );
      }
      const other = o.base ? undefined : await otherModeDigest(o, specId);
      // Files under a filter git runs when it stores them (git-lfs…): the working tree's bytes
      // are not what is staged, whatever is staged, and staging again cannot make them agree.
      const filtered =
        other === latest.record.digest && o.staged && latest.record.decision === 'approved'
          ? [...(await git.filteredPaths(result.changeSet.changes.filter((c) => c.status !== 'deleted').map((c) => c.path))).entries()]
          : [];
      if (filtered.length > 0) {
        const [file, driver] = filtered[0]!;
        return fail(
          'stale',
          `stale approval: the approval${by} recorded at ${at} is for the working tree's bytes (${shortDigest(other!)}), and the commit takes what git stores (${shortDigest(digest)}): ${oneLine(file, 200)}${filtered.length > 1 ? ` and ${filtered.length - 1} more` : ''} ${filtered.length > 1 ? 'are' : 'is'} under the filter "${oneLine(driver, 80)}", which git runs when it stores a file and SpecGate does not; approve the staged change: ${BUNDLE_AND_APPROVE(' --staged')}`,
          { record: latest.rel },
        );
      }
      if (other === latest.record.digest) {
        // Committing what was rejected would only meet the rejection: that way out is offered for an approval.
        const approved = latest.record.decision === 'approved';
        return fail(
          'stale',
          o.staged
            ? `stale ${noun}: the ${noun}${by} recorded at ${at} is for all uncommitted work (${shortDigest(other)}), but the commit takes only what is staged (${shortDigest(digest)}); ${approved ? 'stage the rest (git add -A) to commit exactly what was approved, or ' : ''}${BUNDLE_AND_APPROVE(' --staged')}`
            : `stale ${noun}: the ${noun}${by} recorded at ${at} is for the staged change only (${shortDigest(other)}), but this check takes all uncommitted work (${shortDigest(digest)}), unstaged and untracked files too; ${approved ? 'commit the staged change (the pre-commit gate checks just that), or ' : ''}${BUNDLE_AND_APPROVE('')}`,
          { record: latest.rel },
        );
      }
      return fail(
        'stale',
        `stale ${noun}: the ${noun}${by} recorded at ${at} is for ${shortDigest(latest.record.digest)}, the change is now ${shortDigest(digest)}; make a new bundle and have it approved`,
        { record: latest.rel },
      );
    }
    // The same change approved under another spec (verify picked a spec other than the bundle's).
    const underOther = await approvedUnderOtherSpec(o, specId, trustBase, all);
    if (underOther) {
      const other = oneLine(underOther.record.spec, 200);
      const { by, unverified } = await signer(underOther);
      const when = `recorded at ${shownTime(oneLine(underOther.record.time, 64))}`;
      return fail(
        'no-approval',
        `no approval for ${shortDigest(digest)} (spec ${spec}): the same change is approved under spec ${other} (${by ? `${by.slice(1)}, ${when}` : `${when}, ${unverified}`}), and this check took spec ${spec}; verify with --spec ${other}, or ${BUNDLE_AND_APPROVE(flag)}`,
        { record: underOther.rel },
      );
    }
    // Approved from another base: the branch was rebased, the target moved, or the approval
    // was made with another --base. A record the base commit already holds is history.
    const elsewhere = await newestNotInBase(git, trustBase, records);
    if (elsewhere) {
      const r = elsewhere.record;
      const { by, unverified } = await signer(elsewhere);
      const now = !trustBase ? 'before the first commit' : o.base ? `from the merge base ${trustBase.slice(0, 12)} of ${oneLine(o.base, 80)} and HEAD` : `against HEAD ${trustBase.slice(0, 12)}`;
      const recordRef = r.base.ref === 'HEAD' ? undefined : oneLine(r.base.ref, 80);
      const then = !r.base.commit
        ? 'made before the first commit'
        : recordRef
          ? `from ${r.base.commit.slice(0, 12)}, the merge base with ${recordRef} then (approved with --base ${recordRef})`
          : `against ${r.base.commit.slice(0, 12)}, HEAD then`;
      const why = o.base
        ? recordRef
          ? `the merge base has moved since (new commits on the target, the branch rebased or merged, or the target not fetched where it was approved) and the change no longer matches what was approved`
          : `that approved one change against HEAD, not the whole change since the merge base that this check takes`
        : recordRef
          ? `this check takes the ${o.staged ? 'staged change' : 'uncommitted work'} against HEAD, not the change since a merge base`
          : `HEAD has moved since (a commit, a rebase, a pull or a checkout) and the change no longer matches what was approved`;
      return fail(
        'no-approval',
        `no approval for ${shortDigest(digest)} (spec ${spec}) ${now}: the approval of this spec${by} recorded at ${shownTime(oneLine(r.time, 64))}${unverified ? ` (${unverified})` : ''} is for the change ${then}; ${why}; ${BUNDLE_AND_APPROVE(flag)}`,
        { record: elsewhere.rel },
      );
    }
    if (allowedBase.trim() === '') {
      // No reviewer is trusted yet: no approval can pass, so say how a team starts.
      return fail(
        'no-approval',
        `no approval for ${shortDigest(digest)} (spec ${spec}), and none can pass yet: ${baseName} has no ${ALLOWED_SIGNERS_PATH}, so no reviewer is trusted; ` +
          `commit the reviewers' public keys there first, alone (with the pre-commit gate installed, that first commit needs git commit --no-verify), then ${BUNDLE_AND_APPROVE(flag)}`,
      );
    }
    return fail('no-approval', `no approval for ${shortDigest(digest)} (spec ${spec}); ${BUNDLE_AND_APPROVE(flag)}`);
  }

  // What to do about a damaged record: the commit takes the index's copy, a check the work tree's.
  const repair = o.staged
    ? `; approve again and stage the new record (git add ${APPROVALS_DIR}), or take this one out of the commit (git restore --staged ${rel} ${signaturePathFor(rel)}), then commit again`
    : `; put back what approve wrote (git checkout -- ${rel}, or approve again) or delete it, then verify again`;
  const parsed = parseApproval(text);
  if (!parsed.ok) return fail('tampered', `tampered approval: ${rel} ${parsed.problem}${repair}`, { record: rel });
  const record = parsed.record;
  if (record.digest !== digest) {
    return fail('tampered', `tampered approval: ${rel} holds the record of ${shortDigest(record.digest)}, not of ${shortDigest(digest)} (copied or renamed)${repair}`, { record: rel });
  }
  const sig = await readSmall(path.join(git.root, signaturePathFor(rel)));
  if (sig === undefined) return fail('tampered', `tampered approval: ${rel} has no signature (${path.basename(signaturePathFor(rel))} is missing)${repair}`, { record: rel });
  if (!(await checkSignature(sig, text))) {
    return fail('tampered', `tampered approval: the signature does not match ${rel}; it was changed after signing or the signature is forged${repair}`, { record: rel });
  }
  // In the merge base's history, and with --base in the target's too: a branch's author
  // picks its merge base by picking where to fork, so a fork from before the approved change
  // landed (and was reverted) must not make its record count a second time.
  const tip = await targetTip(git, o.base, trustBase);
  let committedIn = await recordInHistory(git, trustBase, rel, text);
  let historyOf = baseName;
  if (!committedIn && tip) {
    committedIn = await recordInHistory(git, tip.commit, rel, text);
    historyOf = `${tip.commit.slice(0, 12)}, the tip of ${oneLine(o.base!, 80)}`;
  }
  if (committedIn) {
    return fail(
      'replayed',
      `replayed approval: ${rel} was committed before, in ${committedIn.slice(0, 12)} (in the history of ${historyOf}): it approved this change when it was applied then (reverted or undone since), and an approval counts once (a record goes into the commit of the change it approves); ${BUNDLE_AND_APPROVE(flag)}`,
      { record: rel },
    );
  }

  const allowedBase = (await showAt(git, trustBase, ALLOWED_SIGNERS_PATH)) ?? '';
  const later = o.base !== undefined && trustBase ? await laterRecordInBranch(git, trustBase, rel, record, text, allowedBase) : undefined;
  if (later) {
    const noun = DECISION_NOUN[later.record.decision];
    return fail(
      'replayed',
      `replayed approval: ${rel}, recorded at ${shownTime(oneLine(record.time, 64))}, was replaced on this branch by a later ${noun} of this change by ${oneLine(later.by, 200)} (recorded at ${shownTime(oneLine(later.record.time, 64))}, in ${later.commit.slice(0, 12)}) and then put back; a record put back does not undo a later decision: the reviewer must decide again (${BUNDLE_AND_APPROVE(flag)})`,
      { record: rel },
    );
  }
  const principals = await findPrincipals(allowedBase, sig);
  if (principals.length === 0) {
    const changed = [
      await readSmallText(path.join(git.root, ALLOWED_SIGNERS_PATH)),
      (await git.exec(['cat-file', 'blob', `:${ALLOWED_SIGNERS_PATH}`], { allowExit: [1, 128] })).stdout,
    ].join('\n');
    if ((await findPrincipals(changed, sig)).length > 0) {
      return fail(
        'signer-added-by-change',
        `signer added by the change: the signing key is listed only in this change's ${ALLOWED_SIGNERS_PATH}, not in ${baseName}; a change cannot approve itself — commit the reviewer's key to the base first`,
        { record: rel },
      );
    }
    const where = `${ALLOWED_SIGNERS_PATH} in ${baseName}`;
    const certificate = certificateProblem(allowedBase, signatureKey(sig), where) ?? lineOptionsProblem(allowedBase, signatureKey(sig), where);
    if (certificate && allowedBase.trim() !== '') return fail('untrusted-signer', `untrusted signer: ${certificate}`, { record: rel });
    return fail(
      'untrusted-signer',
      allowedBase.trim() === ''
        ? `untrusted signer: ${baseName} has no ${ALLOWED_SIGNERS_PATH}, so no reviewer is trusted; commit the reviewers' public keys there first`
        : `untrusted signer: the approval is signed by a key that ${ALLOWED_SIGNERS_PATH} in ${baseName} does not list${o.base ? `; a key the target branch lists later counts once this branch has it merged in (or is rebased on it)` : ''}`,
      { record: rel },
    );
  }
  const checked = await verifySignature(allowedBase, undefined, sig, text);
  if (!checked.ok) {
    return fail('untrusted-signer', `untrusted signer: the key of ${principals[0]} in ${ALLOWED_SIGNERS_PATH} at ${baseName} is not valid for specgate signatures (namespaces or validity options)`, { record: rel });
  }
  const principal = checked.principal!;
  if (tip && tip.allowed !== allowedBase && !(await verifySignature(tip.allowed, undefined, sig, text)).ok) {
    const target = oneLine(o.base!, 80);
    return fail(
      'untrusted-signer',
      `untrusted signer: the key of ${principal} is trusted in ${ALLOWED_SIGNERS_PATH} at the merge base ${baseName} but not at ${tip.commit.slice(0, 12)}, the tip of ${target}, which no longer lists it (or no longer for specgate signatures); a key the target branch removed is revoked for changes made before too: have a reviewer trusted both there and at the merge base approve it, or merge ${target} into the branch (or rebase on it) so that its reviewers count`,
      { record: rel, principal },
    );
  }
  if (record.decision === 'rejected') {
    return fail('rejected', `rejected by ${principal} at ${shownTime(oneLine(record.time, 64))}${record.comment ? `: ${safeText(record.comment.replace(/\s+/g, ' '))}` : ''}`, { record: rel, principal });
  }

  // Self-approval: the key counts as an author's when ANY principal it is listed under
  // names one, not only the principal the signature happened to verify for.
  const authors = await changeAuthors(git, trustBase, await git.headCommit());
  const lists = tip && tip.allowed !== allowedBase ? [allowedBase, tip.allowed] : [allowedBase];
  const owner = await changeOwner(lists, signatureKey(sig), principals, authors, () => (o.base !== undefined ? hasUncommittedWork(o.cwd, specId) : Promise.resolve(true)));
  // Self-approval is allowed only where both the merge base and the target's tip allow it.
  const allowSelf = owner !== undefined && (await selfApprovalAllowed(git, trustBase)) && (!tip || (await selfApprovalAllowed(git, tip.commit)));
  if (owner !== undefined && !allowSelf) {
    const who =
      owner === principal.toLowerCase()
        ? `${principal} approved a change they authored`
        : `${{ key: 'the signing key is listed', certificate: 'the signing certificate is trusted', 'certified-key': 'the key of the signing certificate is listed' }[ownedAs(allowedBase, signatureKey(sig), owner)]} in ${ALLOWED_SIGNERS_PATH} at ${baseName} for ${owner}, an author of the change (it verified as ${principal})`;
    return fail(
      'self-approval',
      `self-approval: ${who}; another trusted reviewer must approve it (or set allowSelfApproval: true in ${CONFIG_PATH} on the base)`,
      { record: rel, principal: owner },
    );
  }
  const reviewer = owner ?? principal;
  const self = owner !== undefined ? `; ${owner} is an author of the change, which ${CONFIG_PATH} on the base allows` : '';
  return { ok: true, code: 'approved', reason: `approved by ${reviewer} at ${shownTime(oneLine(record.time, 64))} (${shortDigest(digest)})${self}`, digest, record: rel, principal: reviewer };
}

async function readSmallText(file: string): Promise<string> {
  return (await readSmall(file)) ?? '';
}
