// `ignoreSpecs` of `.specgate/config.yml`: which of its globs leaves a spec out, how to say
// why, and the config text with globs taken out of it (the editor's "read this spec" edit).
// Pure: the callers read and write the file.
import { isScalar, isSeq, parseDocument } from 'yaml';
import { CONFIG_PATH, DEFAULT_IGNORE_SPECS, parseConfig } from './config';
import { UsageError } from './model';
import { compileGlobs } from './scope';

/** Whether the list is SpecGate's default one (no config, or a config without the key). */
export function isDefaultIgnoreList(list: readonly string[]): boolean {
  return list.length === DEFAULT_IGNORE_SPECS.length && list.every((g, i) => g === DEFAULT_IGNORE_SPECS[i]);
}

/**
 * The globs of `list` that leave the spec `id` out (a spec folder is left out when the files
 * in it are: asked of a file name in it), in the list's order; empty when none does.
 */
export function ignoringGlobs(id: string, list: readonly string[]): string[] {
  return list.filter((g) => {
    const one = compileGlobs([g]);
    return one.test(id) || one.test(`${id}/spec.md`);
  });
}

/**
 * The test of a path while a change edits ignoreSpecs: left out only when both the edited
 * list and the base's leave it out, so the change cannot hide the spec it is reviewed against.
 */
export function leftOutByBoth(now: readonly string[], before: readonly string[]): (path: string) => boolean {
  const [a, b] = [compileGlobs(now), compileGlobs(before)];
  return (p) => a.test(p) && b.test(p);
}

/** Why a spec is left out, as a parenthesis: `by default, test data is not read` or the config. */
export function ignoredReason(list: readonly string[], count: number): string {
  return isDefaultIgnoreList(list) ? 'by default, test data is not read' : `${CONFIG_PATH} ignores ${count === 1 ? 'it' : 'them'}`;
}

/**
 * The config text with the globs `drop` taken out of its ignoreSpecs (the defaults when the
 * key is absent). Comments, the list's other entries and every other key are kept. `text`
 * undefined (no config yet) gives a new file holding only the key. A config that does not
 * parse is a UsageError naming the problem, and nothing is made.
 */
export function ignoreSpecsWithout(text: string | undefined, drop: readonly string[]): string {
  if (text === undefined || text.trim() === '') {
    const list = DEFAULT_IGNORE_SPECS.filter((g) => !drop.includes(g));
    const lines = [
      `# SpecGate's settings for this repository (see its README, "Configuration").`,
      `# ignoreSpecs: files never read as specs. SpecGate's default list, less ${drop.join(', ')}.`,
    ];
    const body = list.length === 0 ? 'ignoreSpecs: []' : ['ignoreSpecs:', ...list.map((g) => `  - ${JSON.stringify(g)}`)].join('\n');
    return `${lines.join('\n')}\n${body}\n`;
  }
  let current: readonly string[];
  try {
    current = parseConfig(text, CONFIG_PATH).ignoreSpecs;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}; fix it first`);
  }
  const doc = parseDocument(text);
  const node = doc.get('ignoreSpecs', true);
  if (isSeq(node)) {
    // Only the dropped entries go: the others keep their comments and their places.
    node.items = node.items.filter((item) => !(isScalar(item) && typeof item.value === 'string' && drop.includes(item.value)));
    if (node.items.length === 0) node.flow = true;
  } else {
    const list = doc.createNode(current.filter((g) => !drop.includes(g)));
    list.flow = list.items.length === 0;
    doc.set('ignoreSpecs', list);
  }
  return doc.toString({ lineWidth: 0 });
}
