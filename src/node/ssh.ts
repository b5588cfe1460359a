// SSH signatures through `ssh-keygen -Y` (the format git uses for signed commits): sign
// bytes with a reviewer's key, and check a signature against an allowed_signers text.
// Never a shell; every temp file lives in a private temp folder removed afterwards.
import { spawn } from 'node:child_process';
import { constants as fsc } from 'node:fs';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SIGNATURE_NAMESPACE } from '../core/approval';
import { UsageError } from '../core/model';

const CHECK_TIMEOUT_MS = 30_000;
const SIGN_TIMEOUT_MS = 60_000;
const MAX_INPUT = 4 * 1024 * 1024;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

interface RunOptions {
  input?: string | Buffer;
  /** Inherit our stdin (the passphrase prompt may read it). */
  inheritStdin?: boolean;
  /** Run in a new session: no controlling terminal, so ssh-keygen cannot open /dev/tty. */
  detached?: boolean;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  command?: string;
}

function run(args: string[], o: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.command ?? 'ssh-keygen', args, {
      stdio: [o.inheritStdin ? 'inherit' : 'pipe', 'pipe', 'pipe'],
      detached: o.detached ?? false,
      env: o.env ?? process.env,
      shell: false,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-MAX_INPUT)));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-64 * 1024)));
    const timer = o.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, o.timeoutMs)
      : undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      if (err.code === 'ENOENT') reject(new UsageError(`${o.command ?? 'ssh-keygen'} was not found on PATH; install OpenSSH 8.2 or newer`));
      else reject(err);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(o.input ?? '');
    }
  });
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'specgate-ssh-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The most telling line of ssh-keygen's stderr (its own prompts and progress removed). */
function explain(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^Enter passphrase[^:]*:\s*/, '').trim())
    .filter((l) => l && !/^@+$/.test(l) && !/^Signing file/.test(l) && !/^Write signature/.test(l));
  const telling = lines.find((l) => /passphrase|permissions|too open|no such file|not found|invalid format|agent/i.test(l));
  return telling ?? lines[lines.length - 1] ?? 'ssh-keygen failed';
}

/** The key's public half as `type base64`, from `<key>.pub` or the key itself when it is public. */
async function publicKeyBlob(file: string): Promise<string | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    const m = /^(?:\S+=?\S*\s+)?((?:ssh|ecdsa|sk)-[\w@.-]+)\s+([A-Za-z0-9+/=]+)/m.exec(text);
    return m && !text.includes('PRIVATE KEY') ? `${m[1]} ${m[2]}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a file is no SSH key file at all (a note, a config, known_hosts…): neither a private
 * key nor a line that starts with a public key, as `ssh-keygen -f` reads them. ssh-keygen then
 * says "Couldn't load public key <file>: No such file or directory", which names no problem.
 */
async function notAKey(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return !text.includes('PRIVATE KEY') && !/^(?:ssh|ecdsa|sk)-[\w@.-]+\s+[A-Za-z0-9+/=]{16,}/m.test(text);
}

/** The file to pass to `-f` and whether the agent holds the key (then no passphrase is asked). */
async function signingKey(keyPath: string, env: NodeJS.ProcessEnv): Promise<{ file: string; agent: boolean }> {
  if (!env.SSH_AUTH_SOCK) return { file: keyPath, agent: false };
  const pub = (await publicKeyBlob(keyPath)) ? keyPath : `${keyPath}.pub`;
  const blob = await publicKeyBlob(pub);
  if (!blob) return { file: keyPath, agent: false };
  const listed = await run(['-L'], { command: 'ssh-add', env, timeoutMs: 10_000 }).catch(() => undefined);
  const inAgent = !!listed && listed.code === 0 && listed.stdout.split('\n').some((l) => l.startsWith(blob));
  return inAgent ? { file: pub, agent: true } : { file: keyPath, agent: false };
}

/**
 * Runs `fn` with a file holding the public key of git's `user.signingkey = key::<public key>`
 * (the literal form, for a key that lives in ssh-agent or a password manager's agent): the
 * agent signs with it, as for `git commit -S`. Refused in one line when no agent runs or the
 * agent does not hold the key; the file is removed afterwards.
 */
export async function withAgentKey<T>(literal: string, env: NodeJS.ProcessEnv, fn: (pubFile: string) => Promise<T>): Promise<T> {
  const m = /^((?:ssh|ecdsa|sk)-[\w@.-]+)\s+([A-Za-z0-9+/]+={0,3})(?:\s|$)/.exec(literal.trim());
  if (!m) throw new UsageError("git's user.signingkey is key:: with no SSH public key after it; set it to a key file, or to key:: and a public key (ssh-ed25519 AAAA…)");
  const blob = `${m[1]} ${m[2]}`;
  const shown = `${m[1]} …${m[2]!.slice(-12)}`;
  if (!env.SSH_AUTH_SOCK) {
    throw new UsageError(`git's user.signingkey is a public key (key::${shown}), whose private half only ssh-agent can use, and no agent runs here (SSH_AUTH_SOCK is not set); start ssh-agent and ssh-add the key, or pass --key with the private key file`);
  }
  const listed = await run(['-L'], { command: 'ssh-add', env, timeoutMs: 10_000 }).catch(() => undefined);
  if (!listed || listed.code !== 0 || !listed.stdout.split('\n').some((l) => l.startsWith(`${blob} `) || l === blob)) {
    throw new UsageError(`the key git's user.signingkey names (key::${shown}) is not in ssh-agent; add it with ssh-add, or pass --key with the private key file`);
  }
  return withTempDir(async (dir) => {
    const file = path.join(dir, 'user.signingkey.pub');
    await writeFile(file, `${blob}\n`, { mode: 0o600 });
    return fn(file);
  });
}

export interface SignOptions {
  env?: NodeJS.ProcessEnv;
  /** Allow a passphrase prompt on the terminal (default: when stdin is a TTY). */
  interactive?: boolean;
  /** `inherit`: without a terminal, ssh-keygen may read a passphrase from our stdin (the CLI); `empty` (default): it reads nothing. */
  stdin?: 'inherit' | 'empty';
}

/**
 * Signs `data` with the key at `keyPath` in the `specgate` namespace and returns the
 * armored signature. A passphrase-protected key prompts on the terminal, or is used
 * through ssh-agent when the agent holds it. Any failure is a UsageError saying why.
 */
export async function sign(keyPath: string, data: string | Buffer, opts: SignOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const interactive = opts.interactive ?? !!process.stdin.isTTY;
  const abs = path.resolve(keyPath);
  try {
    const s = await stat(abs);
    if (!s.isFile()) throw new UsageError(`SSH key ${keyPath} is not a file; pass --key with your private key (e.g. ~/.ssh/id_ed25519)`);
    await access(abs, fsc.R_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`SSH key ${keyPath} was not found or cannot be read; pass --key with your private key (e.g. ~/.ssh/id_ed25519)`);
  }
  const key = await signingKey(abs, env);
  return withTempDir(async (dir) => {
    const file = path.join(dir, 'record');
    await writeFile(file, data, { mode: 0o600 });
    const args = ['-Y', 'sign', ...(key.agent ? ['-U'] : []), '-f', key.file, '-n', SIGNATURE_NAMESPACE, '--', file];
    const r = await run(args, {
      inheritStdin: !key.agent && opts.stdin === 'inherit',
      detached: !interactive,
      timeoutMs: interactive ? undefined : SIGN_TIMEOUT_MS,
      env,
    });
    if (r.timedOut) throw new UsageError(`signing with ${keyPath} timed out (waiting for a passphrase?); load the key into ssh-agent or run in a terminal`);
    if (r.code !== 0) {
      const why = (await notAKey(abs)) ? 'it is not an SSH key file (neither a private key nor a public key file); pass --key with your private key (e.g. ~/.ssh/id_ed25519)' : explain(r.stderr);
      const hint = !interactive && /passphrase/i.test(why) ? '; for a passphrase-protected key, add it to ssh-agent (ssh-add) or approve from a terminal' : '';
      throw new UsageError(`cannot sign with SSH key ${keyPath}: ${why}${hint}`);
    }
    const sig = await readFile(`${file}.sig`, 'utf8').catch(() => '');
    if (!sig.includes('BEGIN SSH SIGNATURE')) throw new UsageError(`ssh-keygen wrote no signature for ${keyPath}`);
    return sig;
  });
}

/** True when `sig` is a well-formed `specgate` signature over exactly `data` (by any key). */
export async function checkSignature(sig: string, data: string | Buffer): Promise<boolean> {
  if (sig.length > MAX_INPUT) return false;
  return withTempDir(async (dir) => {
    const sigFile = path.join(dir, 'record.sig');
    await writeFile(sigFile, sig, { mode: 0o600 });
    const r = await run(['-Y', 'check-novalidate', '-n', SIGNATURE_NAMESPACE, '-s', sigFile], { input: data, timeoutMs: CHECK_TIMEOUT_MS });
    return r.code === 0;
  });
}

/** The principals of `allowedSigners` whose key made `sig` (no check of the signed data). */
export async function findPrincipals(allowedSigners: string, sig: string): Promise<string[]> {
  if (sig.length > MAX_INPUT || allowedSigners.length > MAX_INPUT || allowedSigners.trim() === '') return [];
  return withTempDir(async (dir) => {
    const sigFile = path.join(dir, 'record.sig');
    const signers = path.join(dir, 'allowed_signers');
    await writeFile(sigFile, sig, { mode: 0o600 });
    await writeFile(signers, allowedSigners, { mode: 0o600 });
    const r = await run(['-Y', 'find-principals', '-s', sigFile, '-f', signers], { timeoutMs: CHECK_TIMEOUT_MS });
    if (r.code !== 0) return [];
    return [...new Set(r.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];
  });
}

/**
 * The base64 public key (as in a `.pub` file or allowed_signers) that an armored SSH
 * signature says made it, or undefined when `sig` is not one. Only as trustworthy as the
 * signature: call it on a signature that `checkSignature` accepted.
 */
export function signatureKey(sig: string): string | undefined {
  const m = /-----BEGIN SSH SIGNATURE-----([A-Za-z0-9+/=\s]*)-----END SSH SIGNATURE-----/.exec(sig);
  if (!m) return undefined;
  // PROTOCOL.sshsig: "SSHSIG", uint32 version, string publickey, ...
  const bytes = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  if (bytes.length < 14 || bytes.toString('latin1', 0, 6) !== 'SSHSIG') return undefined;
  const length = bytes.readUInt32BE(10);
  if (length === 0 || 14 + length > bytes.length) return undefined;
  return bytes.subarray(14, 14 + length).toString('base64');
}

export interface VerifyResult {
  ok: boolean;
  /** The allowed_signers principal the signature verified for. */
  principal?: string;
}

/**
 * Verifies `sig` over `data` against `allowedSigners` in the `specgate` namespace. With a
 * principal, only that one is tried; without, each principal whose key made the signature.
 */
export async function verify(allowedSigners: string, principal: string | undefined, sig: string, data: string | Buffer): Promise<VerifyResult> {
  const candidates = principal !== undefined ? [principal] : await findPrincipals(allowedSigners, sig);
  if (candidates.length === 0 || sig.length > MAX_INPUT || allowedSigners.length > MAX_INPUT) return { ok: false };
  return withTempDir(async (dir) => {
    const sigFile = path.join(dir, 'record.sig');
    const signers = path.join(dir, 'allowed_signers');
    await writeFile(sigFile, sig, { mode: 0o600 });
    await writeFile(signers, allowedSigners, { mode: 0o600 });
    for (const p of candidates) {
      const r = await run(['-Y', 'verify', '-f', signers, '-I', p, '-n', SIGNATURE_NAMESPACE, '-s', sigFile], {
        input: data,
        timeoutMs: CHECK_TIMEOUT_MS,
      });
      if (r.code === 0) return { ok: true, principal: p };
    }
    return { ok: false };
  });
}
