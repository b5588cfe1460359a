// Real SSH keys for tests, made by ssh-keygen, and an environment where it cannot prompt.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Environment in which ssh-keygen can never wait for a passphrase. */
export function noPromptEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SSH_ASKPASS_REQUIRE: 'never' };
  delete env.SSH_ASKPASS;
  delete env.DISPLAY;
  delete env.SSH_AUTH_SOCK;
  return env;
}

export interface TestKey {
  key: string;
  pub: string;
  /** An allowed_signers line for this key. */
  line: (principal: string) => string;
}

export function makeKey(dir: string, name: string, passphrase = ''): TestKey {
  const key = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', key], { stdio: 'pipe' });
  const pub = readFileSync(`${key}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { key, pub, line: (principal) => `${principal} ${pub}\n` };
}
