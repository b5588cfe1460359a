// Builds the *Review* tree: the state of the current change (not exported, exported,
// approved by whom and when, stale, rejected), the change's digest and risk, and the
// actions that apply.
import * as path from 'node:path';
import type { FolderInput } from './folderInput';
import { partOfNode } from './specsNodes';
import { deltaWords, makeNode, plural, type Node } from './nodes';
import { folderState, hasNoSpec, stateNode } from './stateRows';
import { shownTime } from '../../core/time';
import { baseName, otherBaseText, type ReviewState } from './reviewState';

export interface ReviewInput {
  folder: FolderInput;
  state: ReviewState;
  /** The one-line result of verification, when it ran. */
  verify?: { ok: boolean; reason: string };
}

export function buildReviewNodes(inputs: readonly ReviewInput[]): Node[] {
  // One folder with no spec: no rows, so the view's welcome content (Create a Spec) shows.
  if (inputs.length === 1) return hasNoSpec(inputs[0]!.folder) ? [] : folderNodes(inputs[0]!, '');
  return inputs.map((i) =>
    makeNode({
      id: `folder:${i.folder.key ?? i.folder.name}`,
      label: i.folder.name,
      ...(i.folder.partOf !== undefined ? { description: `in ${i.folder.partOf}` } : {}),
      icon: { id: 'root-folder' },
      contextValue: 'specgate.folder',
      expanded: true,
      children: folderNodes(i, `${i.folder.key ?? i.folder.name}/`),
    }),
  );
}

function short(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

function decisionTooltip(word: string, record: NonNullable<ReviewState['record']>, otherBase: ReviewState['otherBase']): string {
  const lines = [`${word} by ${record.reviewer} at ${shownTime(record.time)}${otherBase ? `, ${otherBaseText(otherBase)} (the same content)` : ''}`];
  if (record.comment !== undefined) lines.push(`Comment: ${record.comment}`);
  lines.push(record.file);
  return lines.join('\n');
}

function folderNodes(i: ReviewInput, prefix: string): Node[] {
  const { folder: f, state: s } = i;
  if (f.partOf !== undefined) return [partOfNode(f, prefix)];
  const r = f.report;
  if (s.status === 'no-report' || !r) return [stateNode(`${prefix}none`, folderState(f, 'review'))];
  const ref = { root: f.root, specId: r.spec.id, ...(s.bundle ? { bundleDir: s.bundle.dir } : {}) };
  const nodes: Node[] = [];
  const status = ((): Node => {
    const id = `${prefix}status`;
    switch (s.status) {
      case 'not-exported':
        // An empty change has nothing to export (the export refuses it), nor to approve.
        if (r.changes.length === 0) {
          return makeNode({
            id,
            label: 'Nothing to review',
            description: 'no file differs from the base',
            tooltip: 'The change is empty: no file differs from the base, so there is no review bundle to export.',
            icon: { id: 'pass' },
            contextValue: 'specgate.review.empty',
            ref,
          });
        }
        if (s.earlier) {
          return makeNode({
            id,
            label: 'Not exported',
            description: 'the change moved on since the last bundle',
            tooltip: `The last review bundle (${path.basename(s.earlier.dir)}, exported at ${shownTime(new Date(s.earlier.mtime).toISOString())}) is of an earlier state of the change. Export again (SpecGate: Export Review Bundle) for the change as it stands.`,
            icon: { id: 'circle-large-outline' },
            contextValue: 'specgate.review.not-exported',
            ref,
          });
        }
        return makeNode({
          id,
          label: 'Not exported',
          description: 'no review bundle for this change',
          tooltip: 'No review bundle for this change yet. Export one (SpecGate: Export Review Bundle) for a reviewer to read and approve.',
          icon: { id: 'circle-large-outline' },
          contextValue: 'specgate.review.not-exported',
          ref,
        });
      case 'exported':
        return makeNode({
          id,
          label: 'Exported',
          description: `awaiting approval · ${short(s.digest!)}`,
          tooltip: `Exported, awaiting approval: ${s.bundle!.dir}`,
          icon: { id: 'package', color: 'charts.blue' },
          contextValue: 'specgate.review.exported',
          ref,
        });
      case 'approved':
        return makeNode({
          id,
          label: `Approved by ${s.record!.reviewer}`,
          description: `${shownTime(s.record!.time)}${s.otherBase ? ` · against base ${baseName(s.otherBase.record)}` : ''}`,
          tooltip: decisionTooltip('Approved', s.record!, s.otherBase),
          // The green seal only for a record the gate accepts: one verify refuses (an untrusted
          // key) is marked as a warning; the row below says why.
          icon: i.verify && !i.verify.ok ? { id: 'unverified', color: 'problemsWarningIcon.foreground' } : { id: 'verified-filled', color: 'charts.green' },
          contextValue: 'specgate.review.approved',
          ref,
        });
      case 'rejected':
        return makeNode({
          id,
          label: `Rejected by ${s.record!.reviewer}`,
          description: `${shownTime(s.record!.time)}${s.otherBase ? ` · against base ${baseName(s.otherBase.record)}` : ''}`,
          tooltip: decisionTooltip('Rejected', s.record!, s.otherBase),
          icon: { id: 'error', color: 'problemsErrorIcon.foreground' },
          contextValue: 'specgate.review.rejected',
          ref,
        });
      case 'stale':
        return makeNode({
          id,
          // A record of another base is of an earlier commit's change (HEAD moved: a commit
          // the gate let through, a pull): the change now is a new one, not an edited one.
          label: s.otherBase ? 'Not reviewed: the base moved since the last review' : 'Stale: changed since the review',
          description: `${s.record!.decision} by ${s.record!.reviewer}${s.otherBase ? ` against base ${baseName(s.otherBase.record)}` : ''} · ${shownTime(s.record!.time)}`,
          tooltip: s.otherBase
            ? `The ${s.record!.decision} record is for ${s.record!.digest} against base ${baseName(s.otherBase.record)}; the change is now ${s.digest} against base ${baseName(s.otherBase.current)}.`
            : `The ${s.record!.decision} record is for ${s.record!.digest}; the change is now ${s.digest}.`,
          icon: { id: 'history', color: 'problemsWarningIcon.foreground' },
          contextValue: 'specgate.review.stale',
          ref,
        });
    }
  })();
  nodes.push(status);
  nodes.push(
    makeNode({
      id: `${prefix}change`,
      label: `Change ${short(r.digest)}`,
      description: `${plural(r.summary.files, 'file')} · +${r.summary.added} −${r.summary.removed} · risk ${r.summary.risk}`,
      tooltip: [
        `The change: ${plural(r.summary.files, 'file')}, +${r.summary.added} −${r.summary.removed}, risk ${r.summary.risk}`,
        `Spec ${r.spec.id}, base ${r.base.ref}${r.base.commit ? ` (${r.base.commit.slice(0, 12)})` : ''}`,
        `Digest ${r.digest}: an approval signs exactly this; any later edit makes it stale.`,
      ].join('\n'),
      aria: `Change ${short(r.digest)}, ${plural(r.summary.files, 'file')}, ${deltaWords({ binary: false, ...r.summary })}, risk ${r.summary.risk}`,
      icon: { id: 'git-commit' },
      contextValue: 'specgate.review.change',
      ref,
    }),
  );
  if (i.verify) {
    nodes.push(
      makeNode({
        id: `${prefix}verify`,
        label: i.verify.ok ? 'Verified' : 'Verification fails',
        description: i.verify.reason,
        tooltip: i.verify.reason,
        aria: `${i.verify.ok ? 'Verified' : 'Verification fails'}: ${i.verify.reason}`,
        icon: i.verify.ok ? { id: 'pass', color: 'charts.green' } : { id: 'x', color: 'problemsErrorIcon.foreground' },
        contextValue: 'specgate.review.verify',
        ref,
      }),
    );
  }
  const action = (key: string, label: string, command: string, icon: string): Node =>
    makeNode({
      id: `${prefix}action:${key}`,
      label,
      icon: { id: icon },
      contextValue: 'specgate.review.action',
      target: { type: 'command', command, args: [ref] },
      ref,
    });
  const exported = s.bundle !== undefined;
  if ((!exported && r.changes.length > 0) || s.status === 'stale') nodes.push(action('export', 'Export Review Bundle', 'specgate.exportBundle', 'package'));
  if (exported) nodes.push(action('open', 'Open Review Packet', 'specgate.openPacket', 'preview'));
  if (exported && s.status !== 'approved') nodes.push(action('approve', 'Approve…', 'specgate.approve', 'check'));
  if (exported && s.status !== 'rejected') nodes.push(action('reject', 'Reject…', 'specgate.reject', 'close'));
  nodes.push(action('verify', 'Verify Approval', 'specgate.verify', 'shield'));
  return nodes;
}
