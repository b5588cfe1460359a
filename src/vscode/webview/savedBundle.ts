// Which bundle a review panel restored after a window reload may show again. The bundle
// folder comes from the webview's saved state, which the webview wrote: it is untrusted
// input, accepted only when it names an existing folder strictly inside the
// `.specgate/reviews/` of one of the given roots, holding packet.json, with no symbolic
// link leading out of `.specgate/reviews/` or out of the bundle folder. No `vscode` import: plain paths in, a verdict out.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { safeText } from '../../core/render/text';
import { isWithin, relativeWithin } from '../../node/within';

/** Longest bundle path accepted from a saved state. */
const MAX_PATH = 4096;

export type SavedBundleProblem =
  /** The state names no bundle (a panel saved by an older SpecGate, or not a SpecGate state). */
  | 'unnamed'
  /** The path holds a `.` or `..` segment. */
  | 'dot-segment'
  /** The path is not inside any root's `.specgate/reviews/`. */
  | 'outside'
  /** A symbolic link leads out of `.specgate/reviews/` (or out of the bundle folder). */
  | 'link-out'
  /** Nothing (or no folder) is there any more. */
  | 'gone'
  /** The folder holds no packet.json file. */
  | 'no-packet';

export type SavedBundle =
  | { ok: true; bundleDir: string; root: string }
  | { ok: false; problem: SavedBundleProblem; bundleDir?: string; root?: string };

/** The bundle folder a saved panel state names, as written (undefined when it names none). */
export function savedBundlePath(state: unknown): string | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const p = (state as Record<string, unknown>).bundle;
  return typeof p === 'string' && p.length > 0 && p.length <= MAX_PATH && !p.includes('\0') ? p : undefined;
}

/** The folder where bundles of the repository (or folder) at `root` are written. */
export function reviewsDir(root: string): string {
  return path.join(root, '.specgate', 'reviews');
}

async function real(p: string): Promise<string | undefined> {
  return fs.realpath(p).catch(() => undefined);
}

/**
 * Checks the bundle folder a saved state names against the roots whose `.specgate/reviews/`
 * may hold it. On success, `bundleDir` is the path as the state names it (the same string an
 * export or *Open Review Packet* names the bundle by) and `root` the root holding it.
 */
export async function checkSavedBundle(state: unknown, roots: readonly string[]): Promise<SavedBundle> {
  const named = savedBundlePath(state);
  if (named === undefined || !path.isAbsolute(named)) return { ok: false, problem: 'unnamed' };
  if (named.split(/[\\/]+/).some((s) => s === '..' || s === '.')) return { ok: false, problem: 'dot-segment', bundleDir: named };
  const bundleDir = path.normalize(named).replace(/[\\/]+$/, '');
  const root = roots.find((r) => {
    const rel = relativeWithin(reviewsDir(r), bundleDir);
    return rel !== undefined && rel !== '';
  });
  if (root === undefined) return { ok: false, problem: 'outside', bundleDir };
  const at = { bundleDir, root };
  // The root may be a link (a workspace folder opened through one); nothing under it may be:
  // the bundle's real place must be in the real root's .specgate/reviews/.
  const rootReal = await real(root);
  const dirReal = await real(bundleDir);
  if (!rootReal || !dirReal) return { ok: false, problem: 'gone', ...at };
  const reviewsReal = reviewsDir(rootReal);
  const rel = relativeWithin(reviewsReal, dirReal);
  if (rel === undefined || rel === '') return { ok: false, problem: 'link-out', ...at };
  const st = await fs.stat(dirReal).catch(() => undefined);
  if (!st?.isDirectory()) return { ok: false, problem: 'gone', ...at };
  // What the panel reads of the bundle: neither may be a link to a file elsewhere.
  const packetReal = await real(path.join(dirReal, 'packet.json'));
  if (!packetReal) return { ok: false, problem: 'no-packet', ...at };
  if (!isWithin(dirReal, packetReal)) return { ok: false, problem: 'link-out', ...at };
  if (!(await fs.stat(packetReal).catch(() => undefined))?.isFile()) return { ok: false, problem: 'no-packet', ...at };
  const patchReal = await real(path.join(dirReal, 'changes.patch'));
  if (patchReal && !isWithin(dirReal, patchReal)) return { ok: false, problem: 'link-out', ...at };
  return { ok: true, ...at };
}

/** A path from a saved state as a message shows it: on one line, controls and bidi overrides visible, not too long. */
export function visible(p: string): string {
  const shown = safeText(p);
  return shown.length > 200 ? `${shown.slice(0, 199)}…` : shown;
}

/** The bundle as a message names it: relative to its root when known (`.specgate/reviews/<name>`). */
export function shownBundle(r: { bundleDir?: string; root?: string }): string {
  if (r.bundleDir === undefined) return 'the bundle';
  const rel = r.root === undefined ? undefined : relativeWithin(r.root, r.bundleDir);
  return visible(rel ? rel.split(path.sep).join('/') : r.bundleDir);
}

const OPEN_AGAIN = 'Open a bundle with SpecGate: Open Review Packet.';

/** The one line a restored panel shows instead of a bundle it may not show. */
export function savedBundleMessage(r: Extract<SavedBundle, { ok: false }>): string {
  const b = shownBundle(r);
  switch (r.problem) {
    case 'unnamed':
      return `SpecGate cannot show this review again: the panel did not record which review bundle it showed. ${OPEN_AGAIN}`;
    case 'dot-segment':
      return `SpecGate did not reopen this review: the bundle path it recorded, ${b}, has a "." or ".." in it. ${OPEN_AGAIN}`;
    case 'outside':
      return `SpecGate did not reopen this review: ${b} is not in the .specgate/reviews folder of a workspace folder. ${OPEN_AGAIN}`;
    case 'link-out':
      return `SpecGate did not reopen this review: a symbolic link in ${b} leads out of .specgate/reviews. ${OPEN_AGAIN}`;
    case 'gone':
      return `The review bundle ${b} is no longer there (deleted or moved), so this review cannot be shown again. ${OPEN_AGAIN}`;
    case 'no-packet':
      return `The review bundle ${b} holds no packet.json, so this review cannot be shown again. ${OPEN_AGAIN}`;
  }
}
