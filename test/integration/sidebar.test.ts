// The sidebar in the real extension host: the Specs, Changes and Review trees read through
// the extension's API show exactly the fixture's spec, its changes and the review state.
import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FIXTURE_CHANGE, resetWorkspace, waitFor, workspaceRoot, workspaceUri, writeWorkspaceFile } from './fixtures';

interface Snap {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  contextValue?: string;
  children: Snap[];
}

interface Api {
  trees: { specs(): Promise<Snap[]>; changes(): Promise<Snap[]>; review(): Promise<Snap[]> };
  model: { refresh(): Promise<void> };
}

/** Label and description only, for exact comparisons. */
function shape(nodes: Snap[]): unknown[] {
  return nodes.map((n) => {
    const text = n.description === undefined ? n.label : `${n.label} — ${n.description}`;
    return n.children.length > 0 ? { [text]: shape(n.children) } : text;
  });
}

async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>('specgate.specgate');
  assert.ok(ext, 'extension not loaded');
  return ext.activate();
}

describe('sidebar trees', () => {
  let a: Api;

  before(async () => {
    await resetWorkspace();
    a = await api();
    await a.model.refresh();
  });

  after(() => resetWorkspace());

  it('Specs: the active Kiro spec with requirements (covered / not covered) and tasks with their changed files', async () => {
    const specs = await waitFor('an analysed spec', async () => {
      const s = await a.trees.specs();
      return s[0]?.children[0]?.description?.includes('covered') ? s : undefined;
    });
    assert.deepEqual(shape(specs), [
      {
        'billing-retry — kiro · active': [
          {
            'Requirements — 1/2 covered': [
              { '1 Retry failed payments — covered · 1 file': [
                '1.1 — WHEN a payment fails with a temporary error THEN the system SHALL retry it at m…',
                '1.2 — WHEN retry n is scheduled THEN the system SHALL wait 2^n minutes before it runs.',
              ] },
              { '2 Record attempts — not covered': ['2.1 — WHEN a retry runs THEN the system SHALL record the attempt number and its outco…'] },
            ],
          },
          {
            'Tasks — 1/2 done': [
              { '1 Add the retry policy — done · 1 file': ['retry.ts — M · src/billing · +1 −1'] },
              '2 Record each attempt — todo · 0 files',
            ],
          },
        ],
      },
    ]);
    assert.equal(specs[0]!.contextValue, 'specgate.spec.active');
    assert.equal(specs[0]!.icon, 'target');
  });

  it('Changes: the out-of-scope file and the in-scope file under its task, with counts', async () => {
    const changes = await a.trees.changes();
    assert.deepEqual(shape(changes), [
      { 'Out of scope — 1': ['session.ts — M · src/auth · +1 −1'] },
      { 'In scope — 1': [{ '1 Add the retry policy — 1': ['retry.ts — M · src/billing · +1 −1'] }] },
    ]);
  });

  it('Review: not exported, with the change digest and the actions that apply', async () => {
    const review = await a.trees.review();
    const labels = review.map((n) => n.label);
    assert.equal(labels[0], 'Not exported');
    assert.match(labels[1]!, /^Change [0-9a-f]{12}$/);
    assert.match(review[1]!.description!, /^2 files · \+2 −2 · risk \w+$/);
    assert.deepEqual(labels.slice(2), ['Export Review Bundle', 'Verify Approval']);
  });

  it('follows the live model: a new out-of-scope file made on disk appears in Changes', async () => {
    await writeWorkspaceFile('src/auth/tokens.ts', 'export const TOKEN = 1;\n');
    const changes = await waitFor('tokens.ts in Changes', async () => {
      const c = await a.trees.changes();
      return c[0]?.description === '2' ? c : undefined;
    });
    assert.deepEqual(shape([changes[0]!]), [
      { 'Out of scope — 2': ['session.ts — M · src/auth · +1 −1', 'tokens.ts — A · src/auth · +1 −0'] },
    ]);
  });

  it('shows markdown task titles as plain text: Specs and Changes rows, the code lens and the Link to Task quick fix', async () => {
    await writeWorkspaceFile(
      '.kiro/specs/billing-retry/tasks.md',
      [
        '# Implementation Plan',
        '',
        '- [x] 1. Add the **retry policy** in `src/billing/retry.ts`',
        '  - Compute the backoff delay in `src/billing/retry.ts`',
        '  - _Requirements: 1.1, 1.2_',
        '',
        '- [ ] 2. Record _each_ attempt in [the log](docs/log.md) as `attempt_log`',
        '  - Append attempts in `src/billing/attempts.ts`',
        '  - _Requirements: 2.1_',
        '',
      ].join('\n'),
    );
    const tasks = await waitFor('the new task titles in Specs', async () => {
      const group = (await a.trees.specs())[0]?.children.find((n) => n.label === 'Tasks');
      return group?.children[0]?.label.includes('retry.ts') ? group : undefined;
    });
    assert.deepEqual(shape(tasks.children), [
      { '1 Add the retry policy in src/billing/retry.ts — done · 1 file': ['retry.ts — M · src/billing · +1 −1'] },
      '2 Record each attempt in the log as attempt_log — todo · 0 files',
    ]);
    const inScope = (await a.trees.changes()).find((n) => n.label === 'In scope')!;
    assert.deepEqual(
      inScope.children.map((n) => n.label),
      ['1 Add the retry policy in src/billing/retry.ts'],
    );
    const retry = workspaceUri(FIXTURE_CHANGE.inScope);
    await vscode.workspace.openTextDocument(retry);
    const specgate = vscode.workspace.getConfiguration('specgate');
    await specgate.update('codeLens.inScope', true, vscode.ConfigurationTarget.Global);
    const lens = await waitFor('the in-scope code lens with the new title', async () => {
      // A lens request the provider's refresh cancels is asked again.
      const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', retry).then(undefined, () => [])) ?? [];
      return found.map((l) => l.command?.title ?? '').find((t) => t.includes('retry.ts'));
    }).finally(() => specgate.update('codeLens.inScope', undefined, vscode.ConfigurationTarget.Global));
    assert.equal(lens, 'In scope: task 1 (Add the retry policy in src/billing/retry.ts) · requirement 1');
    const session = workspaceUri(FIXTURE_CHANGE.outOfScope);
    await vscode.workspace.openTextDocument(session);
    const line = FIXTURE_CHANGE.outOfScopeLine - 1;
    const links = await waitFor('the Link to Task quick fixes with the new titles', async () => {
      const fixes =
        (await vscode.commands
          .executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', session, new vscode.Range(line, 0, line, 0), vscode.CodeActionKind.QuickFix.value)
          .then(undefined, () => [])) ?? [];
      const titles = fixes.map((f) => f.title).filter((t) => t.startsWith('Link '));
      return titles.some((t) => t.includes('retry.ts')) ? titles : undefined;
    });
    assert.deepEqual(
      links.sort(),
      ['Link src/auth/session.ts to task 1: Add the retry policy in src/billing/retry.ts', 'Link src/auth/session.ts to task 2: Record each attempt in the log as attempt_log'],
    );
  });
});

describe('Changes view: notes on how the change was read', () => {
  let a: Api;
  const PS1 = 'src/auth/legacy.ps1';
  const NOTE = `${PS1} uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark, which git refuses for UTF-16LE; it is listed as binary`;
  const utf16le = (s: string) => Buffer.from(s, 'utf16le');
  const write = async (rel: string, bytes: Buffer) => {
    const abs = path.join(workspaceRoot(), rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, bytes);
  };

  before(async () => {
    await resetWorkspace();
    a = await api();
    await a.model.refresh();
  });

  after(async () => {
    await resetWorkspace();
    await a.model.refresh();
  });

  it('shows a file SpecGate cannot decode as a row above the groups, its tooltip the whole note, until the file can be read', async () => {
    await writeWorkspaceFile('.gitattributes', '*.ps1 working-tree-encoding=UTF-16LE text\n');
    // A byte order mark under UTF-16LE: git refuses to convert it, so SpecGate lists the file as binary.
    await write(PS1, Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('Write-Host "hi"\n')]));
    await a.model.refresh();
    const changes = await waitFor('the note row in Changes', async () => {
      const c = await a.trees.changes();
      return c[0]?.label === NOTE ? c : undefined;
    });
    assert.deepEqual(changes[0], { label: NOTE, tooltip: NOTE, icon: 'info', children: [] });
    assert.equal(changes.filter((n) => n.icon === 'info').length, 1);
    const outside = changes.find((n) => n.label === 'Out of scope')!;
    assert.ok(outside.children.some((n) => n.label === 'legacy.ps1' && n.description === 'A · src/auth · binary'), JSON.stringify(shape([outside])));

    // Saved in its encoding, the file is decoded and diffed: nothing to say, no row.
    await write(PS1, utf16le('Write-Host "hi"\n'));
    await a.model.refresh();
    const decoded = await waitFor('the note row gone from Changes', async () => {
      const c = await a.trees.changes();
      return c.some((n) => n.label === NOTE) ? undefined : c;
    });
    assert.equal(decoded[0]!.label, 'Out of scope');
    const legacy = decoded[0]!.children.find((n) => n.label === 'legacy.ps1');
    assert.equal(legacy?.description, 'A · src/auth · +1 −0');
  });
});
