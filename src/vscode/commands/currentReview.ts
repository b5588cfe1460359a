// The review state of a folder's current change, and the bundle a command should act on.
import * as path from 'node:path';
import type { FolderState } from '../model/types';
import { shownTime } from '../../core/time';
import { deriveReviewState, describeReview, readReviewFiles, type ReviewState } from '../sidebar/reviewState';
import type { GateOutcome, VerifyCache } from '../sidebar/verifyCache';
import type { PanelState } from '../webview/panelData';
import { folderRoot } from './target';

export async function currentReview(state: FolderState): Promise<ReviewState> {
  const r = state.report;
  const files = await readReviewFiles(folderRoot(state));
  return deriveReviewState(r ? { digest: r.digest, specId: r.spec.id, base: r.base.commit } : undefined, files.bundles, files.records);
}

/** A bundle folder from an argument that may name the folder or its packet.json. */
export function bundleDirOf(p: string): string {
  return path.basename(p) === 'packet.json' ? path.dirname(p) : p;
}

/**
 * The panel's review state for `bundleDir`: the current change's review, when that is the
 * bundle's. An approval the commit gate refuses (untrusted signer, self-approval, …) says so,
 * with verification's one-line reason, as the sidebar's Review view does.
 */
export function stateLineFor(review: ReviewState, bundleDir: string, gate?: GateOutcome, bundleDigest?: string): PanelState | undefined {
  if (review.status === 'no-report') return undefined;
  // A bundle of an earlier state of the change: nothing in it can be approved any more.
  if (bundleDigest !== undefined && review.digest !== undefined && bundleDigest !== review.digest) {
    return {
      line: `Out of date: the change has moved on since this bundle was exported (it is for ${shortDigest(bundleDigest)}, the change is now ${shortDigest(review.digest)}); export the review bundle again to review the change as it stands.`,
      status: 'outdated',
      warning: true,
    };
  }
  if (!review.bundle || (review.bundle.dir !== bundleDir && bundleDigest === undefined)) return undefined;
  if (review.status === 'approved' && gate && !gate.ok) {
    const r = review.record!;
    return { line: `Approved by ${r.reviewer} at ${shownTime(r.time)}, but the gate will not pass: ${gate.reason.replace(/\.$/, '')}.`, status: review.status, warning: true };
  }
  return { line: describeReview(review), status: review.status };
}

/**
 * The panel's review state, with what verification says of an approval (in a trusted folder).
 * With the bundle's digest, a bundle of an earlier state of the change is `outdated`, and
 * another bundle of the same change shares its review.
 */
export async function panelStateFor(state: FolderState, review: ReviewState, bundleDir: string, verified: VerifyCache, bundleDigest?: string): Promise<PanelState | undefined> {
  const r = state.report;
  let gate: GateOutcome | undefined;
  const same = review.bundle?.dir === bundleDir || (bundleDigest !== undefined && bundleDigest === review.digest);
  if (review.status === 'approved' && same && state.trusted && r) {
    gate = await verified.get(state.folder, folderRoot(state), r.spec.id, r.digest, r.base.commit, review.record!.file + review.record!.time);
  }
  return stateLineFor(review, bundleDir, gate, bundleDigest);
}

/** `sha256:` and the first 12 hex digits, as the Review view names a change. */
function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1');
}
