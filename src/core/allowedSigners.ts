// Who an SSH key belongs to according to `.specgate/allowed_signers` (git's and ssh-keygen's
// format: `principal[,principal…] [options] keytype base64 [comment]`), for the
// self-approval check. One key may be listed under several principals on one line and on
// several lines; `ssh-keygen -Y find-principals` reports only the first matching line, so
// the lines are read here. Principals are OpenSSH patterns (`*`, `?`, `!` negation).

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

/**
 * The principals (split on commas) of every line of `allowedSigners` that lists the public
 * key `keyBlob` (its base64 part) as a signer's key, in file order. A `cert-authority` line
 * is left out: ssh-keygen accepts only certificates under it, never the CA key itself.
 */
export function principalListsForKey(allowedSigners: string, keyBlob: string): string[][] {
  const lists: string[][] = [];
  if (!keyBlob) return lists;
  for (const raw of allowedSigners.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const { first, rest } = splitFirstField(line);
    if (!first) continue;
    const tokens = rest.split(/\s+/);
    const at = tokens.findIndex((t, i) => t === keyBlob && i > 0 && KEY_TYPE.test(tokens[i - 1]!));
    if (at < 0) continue;
    const options = tokens.slice(0, at - 1).join(' ');
    if (/(?:^|,)cert-authority(?:,|$)/i.test(options)) continue;
    lists.push(first.split(','));
  }
  return lists;
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
 */
export function matchesPrincipals(identity: string, patterns: readonly string[]): boolean {
  const id = identity.toLowerCase();
  let positive = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
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
