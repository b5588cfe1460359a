// The commands end to end in the real extension host, on the fixture repository: export
// writes a bundle, the review panel shows it behind a strict CSP with spec text kept as
// text, approve and reject write signed records that verify reports, the Review tree
// follows, New Spec never overwrites, and the pre-commit gate gets installed.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { acceptFirstPick, git, resetWorkspace, waitFor, workspaceRoot, writeWorkspaceFile } from './fixtures';

interface Snap {
  label: string;
  description?: string;
  children: Snap[];
}

interface Api {
  trees: { review(): Promise<Snap[]>; specs(): Promise<Snap[]>; changes(): Promise<Snap[]> };
  statusText(): string;
  model: {
    refresh(): Promise<void>;
    setActiveSpec(folder: vscode.WorkspaceFolder, specId: string | undefined): Promise<void>;
    folders(): readonly { report?: { digest: string; changes: readonly { path: string; status: string }[] }; specs: readonly unknown[]; activeSpec?: { id: string }; nearMisses: readonly unknown[]; ignoredSpecs: readonly unknown[] }[];
  };
}

interface Opened {
  html: string;
  data: { spec: { name: string }; trace: { title: string }[]; files: { path: string; hunks: { outside: boolean }[] }[] };
}

const REVIEWER = 'reviewer@example.com';

function sh(cmd: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout))),
  );
}

/** Live `git … diff …` processes started by this extension host (the tests share its process). */
function gitDiffChildren(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const m = /^\d+ \((.*)\) (\S) (\d+)/s.exec(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (!m || m[1] !== 'git' || m[2] === 'Z' || Number(m[3]) !== process.pid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes('diff')) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>('specgate.specgate');
  assert.ok(ext, 'extension not loaded');
  return ext.activate();
}

/** Waits until the model analysed the current disk state and returns the digest. */
async function digest(a: Api, not?: string): Promise<string> {
  await a.model.refresh();
  return waitFor('an analysed change', () => {
    const d = a.model.folders()[0]?.report?.digest;
    return d && d !== not ? d : undefined;
  });
}

describe('commands', function () {
  this.timeout(60000);
  let a: Api;
  let keyDir: string;
  let key: string;
  let root: string;

  before(async () => {
    a = await api();
    root = workspaceRoot();
    keyDir = await mkdtemp(path.join(os.tmpdir(), 'specgate-key-'));
    key = path.join(keyDir, 'reviewer');
    await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', REVIEWER, '-f', key]);
  });

  beforeEach(async () => {
    await resetWorkspace();
    // The trusted reviewer is listed in the base commit, as verify requires.
    const pub = (await readFile(`${key}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
    await writeWorkspaceFile('.specgate/allowed_signers', `${REVIEWER} namespaces="specgate" ${pub}\n`);
    await git(root, 'add', '.specgate/allowed_signers');
    await git(root, '-c', 'user.name=Fixture Author', '-c', 'user.email=author@example.com', 'commit', '-q', '-m', 'trust the reviewer');
    await a.model.refresh();
  });

  after(async () => {
    await resetWorkspace();
    await rm(keyDir, { recursive: true, force: true });
  });

  it('Export Review Bundle writes a bundle of the current digest, and the Review tree says exported', async () => {
    const d = await digest(a);
    assert.equal((await a.trees.review())[0]?.label, 'Not exported');
    const dir = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    assert.ok(dir && dir.startsWith(path.join(root, '.specgate', 'reviews')), `bundle dir ${dir}`);
    for (const f of ['packet.json', 'REVIEW.md', 'review.html', 'changes.patch', 'review.sarif']) {
      assert.ok(existsSync(path.join(dir, f)), `${f} missing`);
    }
    const packet = JSON.parse(await readFile(path.join(dir, 'packet.json'), 'utf8'));
    assert.equal(packet.digest, d);
    // At once: the bundle's files are not awaited through a watcher and a re-analysis (seconds on a big change).
    const review = await a.trees.review();
    assert.deepEqual(review.map((n) => n.label).filter((l) => !l.startsWith('Change ')), [
      'Exported',
      'Open Review Packet',
      'Approve…',
      'Reject…',
      'Verify Approval',
    ]);
  });

  it('Export Review Bundle refuses a folder in the work tree that git does not ignore, and writes nothing', async () => {
    await digest(a);
    const status = await git(root, 'status', '--porcelain', '--untracked-files=all');
    // The command shares writeBundle's check (its one-line message is shown as an error).
    for (const out of ['review-out', path.join(root, 'src', 'bundles'), '.specgate/approvals']) {
      const dir = await vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root, quiet: true, out });
      assert.equal(dir, undefined, out);
    }
    assert.ok(!existsSync(path.join(root, 'review-out')));
    assert.ok(!existsSync(path.join(root, 'src', 'bundles')));
    assert.equal(await git(root, 'status', '--porcelain', '--untracked-files=all'), status);
  });

  describe('Export Review Bundle of a large change: cancel, and one export at a time', () => {
    const reviews = () => path.join(root, '.specgate', 'reviews');
    // Bundles, whole or partial: all but the .gitignore the first bundle writes there.
    const bundles = () => (existsSync(reviews()) ? readdirSync(reviews()).filter((n) => n !== '.gitignore') : []);

    beforeEach(async () => {
      // An in-scope change git takes a while to diff and to write out: time to cancel.
      const lines: string[] = [];
      for (let i = 0, size = 0; size < 12 * 1024 * 1024; i++) {
        const l = `line ${i} ${(i * 7919) % 100003}\n`;
        lines.push(l);
        size += l.length;
      }
      await writeWorkspaceFile('src/billing/big.txt', lines.join(''));
      await a.model.refresh();
    });

    it('while git runs: git is killed, the command returns nothing, and no folder is written', async () => {
      const cts = new vscode.CancellationTokenSource();
      const running = vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root, quiet: true, cancellation: cts.token });
      await waitFor('git diff run by the export', () => gitDiffChildren().length > 0);
      const t0 = Date.now();
      cts.cancel();
      assert.equal(await running, undefined);
      assert.ok(Date.now() - t0 < 2000, `the export ended ${Date.now() - t0} ms after Cancel`);
      await waitFor('no git diff left running', () => gitDiffChildren().length === 0, 2000);
      assert.deepEqual(bundles(), []);
    });

    it('once the bundle\'s hidden folder is made (no folder by the bundle\'s name yet): it is removed again', async () => {
      await mkdir(reviews(), { recursive: true });
      const cts = new vscode.CancellationTokenSource();
      const made = new Promise<string>((resolve) => {
        const w = watch(reviews(), (_e, name) => {
          w.close();
          cts.cancel();
          resolve(String(name));
        });
      });
      const dir = await vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root, quiet: true, cancellation: cts.token });
      assert.match(await made, /^\.billing-retry-\d{8}-\d{6}-[0-9a-f]{8}\.partial-\d+-[0-9a-f]{6}$/);
      assert.equal(dir, undefined);
      assert.deepEqual(bundles(), []);
    });

    it('a second export of the folder while one runs is refused: one bundle, not two', async () => {
      const [first, second] = await Promise.all([
        vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root, quiet: true }),
        vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root, quiet: true }),
      ]);
      assert.equal(second, undefined);
      assert.equal(typeof first, 'string');
      assert.deepEqual(bundles(), [path.basename(first!)]);
      // The export that made the folder wrote its .gitignore: Source Control lists no bundle.
      assert.match(readFileSync(path.join(reviews(), '.gitignore'), 'utf8'), /\n\*\n$/);
      const again = await vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root, quiet: true });
      assert.equal(typeof again, 'string', 'the next export, once the first ended, runs');
    });

    it('a token cancelled before it starts: nothing is run or written', async () => {
      const cts = new vscode.CancellationTokenSource();
      cts.cancel();
      assert.equal(await vscode.commands.executeCommand('specgate.exportBundle', { root, quiet: true, cancellation: cts.token }), undefined);
      assert.deepEqual(bundles(), []);
    });
  });

  it('Export does not hold up on unsaved files of a folder whose path merely starts with the repository\'s', async () => {
    // /…/billing-service-notes is not inside /…/billing-service: its unsaved file is no reason to ask.
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    const sibling = `${root}-notes`;
    await mkdir(sibling, { recursive: true });
    const note = vscode.Uri.file(path.join(sibling, 'todo.md'));
    await writeFile(note.fsPath, 'notes\n');
    const editor = await vscode.window.showTextDocument(note);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'unsaved '));
    try {
      assert.equal(editor.document.isDirty, true);
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 15 s'), 15000));
      const dir = await Promise.race([vscode.commands.executeCommand<string>('specgate.exportBundle', { root }), timeout]);
      assert.ok(typeof dir === 'string' && dir.startsWith(path.join(root, '.specgate', 'reviews')), `export: ${dir}`);
    } finally {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
      await rm(sibling, { recursive: true, force: true });
    }
  });

  it('Open Review Packet: strict CSP, nonce script, no packet text in the HTML, out-of-scope hunk marked', async () => {
    const payload = '<img src=x onerror="globalThis.pwned=1">';
    await writeWorkspaceFile(
      '.kiro/specs/billing-retry/requirements.md',
      (await readFile(path.join(root, '.kiro/specs/billing-retry/requirements.md'), 'utf8')).replace('Retry failed payments', `Retry ${payload}`),
    );
    await digest(a);
    const dir = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    const opened = await vscode.commands.executeCommand<Opened>('specgate.openPacket', { root, bundleDir: dir });
    assert.ok(opened, 'the panel did not open');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(opened.html)?.[1];
    assert.ok(csp, 'no CSP meta');
    assert.match(csp, /^default-src 'none'; style-src [^;]+; img-src [^;]+; font-src [^;]+; script-src 'nonce-[A-Za-z0-9+/=]{16,}'$/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    assert.deepEqual(opened.html.match(/<script[^>]*>/g)?.map((s) => s.includes(`nonce="${nonce}"`)), [true]);
    assert.ok(!opened.html.includes('onerror'), 'spec text reached the HTML');
    assert.ok(!opened.html.includes('Retry'), 'packet text reached the HTML');
    assert.equal(opened.data.trace[0]!.title, `Retry ${payload}`);
    const session = opened.data.files.find((f) => f.path === 'src/auth/session.ts');
    assert.deepEqual(session?.hunks.map((h) => h.outside), [true]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Approve writes a signed record that verifies; an edit afterwards makes it stale', async () => {
    const d = await digest(a);
    const dir = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    assert.equal((await a.trees.review())[0]?.label, 'Exported');
    const result = await vscode.commands.executeCommand<{ file: string; warning?: string }>('specgate.approve', {
      root,
      bundleDir: dir,
      keyPath: key,
      comment: 'looks right',
    });
    assert.ok(result, 'approve returned nothing');
    // The Review tree knows at once, as it does after an export.
    assert.equal((await a.trees.review())[0]?.label, `Approved by ${REVIEWER}`);
    assert.equal(result.warning, undefined);
    assert.equal(result.file, path.join(root, '.specgate', 'approvals', `${d.slice(7, 23)}.json`));
    const record = JSON.parse(await readFile(result.file, 'utf8'));
    assert.deepEqual([record.decision, record.digest, record.comment], ['approved', d, 'looks right']);
    const ok = await vscode.commands.executeCommand<{ ok: boolean; code: string; reason: string }>('specgate.verify', { root, quiet: true });
    assert.deepEqual([ok.ok, ok.code], [true, 'approved']);
    const approved = await waitFor('Approved in the Review tree', async () => {
      const r = await a.trees.review();
      return r[0]?.label.startsWith('Approved by') ? r : undefined;
    });
    assert.equal(approved[0]!.label, `Approved by ${REVIEWER}`);
    assert.deepEqual(
      approved.filter((n) => n.label === 'Verified').map((n) => n.description),
      [ok.reason],
      'the Review tree shows what verification says of the approval',
    );

    await writeWorkspaceFile('src/billing/retry.ts', '// changed after the review\n');
    await digest(a, d);
    const stale = await vscode.commands.executeCommand<{ ok: boolean; code: string; reason: string }>('specgate.verify', { root, quiet: true });
    assert.deepEqual([stale.ok, stale.code], [false, 'stale']);
    assert.doesNotMatch(stale.reason, /\n/);
    await waitFor('Stale in the Review tree', async () => (await a.trees.review())[0]?.label.startsWith('Stale') || undefined);
  });

  it('Open Review Packet after an approval by a key the base does not trust: the state line says the gate will not pass, as a warning', async () => {
    const stranger = path.join(keyDir, 'stranger');
    if (!existsSync(stranger)) await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger@example.com', '-f', stranger]);
    await digest(a);
    const dir = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    const result = await vscode.commands.executeCommand<{ file: string }>('specgate.approve', { root, bundleDir: dir, keyPath: stranger, comment: '' });
    assert.ok(result, 'approve returned nothing');
    const record = JSON.parse(await readFile(result.file, 'utf8'));
    const when = String(record.time).replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC');
    const base = (await git(root, 'rev-parse', 'HEAD')).trim().slice(0, 12);
    const opened = await vscode.commands.executeCommand<Opened & { data: { state?: string; status?: string; stateWarning?: boolean } }>('specgate.openPacket', { root, bundleDir: dir });
    assert.ok(opened, 'the panel did not open');
    assert.equal(
      opened.data.state,
      `Approved by Fixture Author at ${when}, but the gate will not pass: untrusted signer: the approval is signed by a key that .specgate/allowed_signers in ${base} does not list.`,
    );
    assert.deepEqual([opened.data.status, opened.data.stateWarning], ['approved', true]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // The key is then committed to the base's allowed_signers, the change itself untouched:
    // the gate passes now, and the panel says so rather than the refusal it saw before.
    const signers = path.join(root, '.specgate/allowed_signers');
    const strangerPub = (await readFile(`${stranger}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
    await writeWorkspaceFile('.specgate/allowed_signers', `${await readFile(signers, 'utf8')}stranger@example.com namespaces="specgate" ${strangerPub}\n`);
    await git(root, 'add', '.specgate/allowed_signers');
    await git(root, '-c', 'user.name=Fixture Author', '-c', 'user.email=author@example.com', 'commit', '-q', '-m', 'trust the stranger');
    assert.equal(await digest(a), record.digest, 'committing allowed_signers left the change as it was');
    const reopened = await vscode.commands.executeCommand<Opened & { data: { state?: string; stateWarning?: boolean } }>('specgate.openPacket', { root, bundleDir: dir });
    assert.ok(reopened, 'the panel did not open again');
    // HEAD moved with that commit: the record names the base it was made against, and, the
    // change's content the same, verify accepts it (no warning).
    const now = (await git(root, 'rev-parse', 'HEAD')).trim().slice(0, 12);
    assert.deepEqual(
      [reopened.data.state, reopened.data.stateWarning ?? false],
      [`Approved by Fixture Author at ${when}, against base ${base}; the change is now against base ${now} (the same content).`, false],
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Approve with no bundle: its "Export Review Bundle" asks about unsaved files as Export does, so the saved change is signed', async () => {
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(root, 'src/auth/session.ts')));
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// not saved yet\n'));
    try {
      await digest(a);
      await vscode.commands.executeCommand('notifications.clearAll');
      let done = false;
      const approving = Promise.resolve(
        vscode.commands.executeCommand<{ record: { digest: string } } | undefined>('specgate.approve', { root, keyPath: key, comment: '' }),
      ).finally(() => (done = true));
      // A user clicking each question's first button: "Export Review Bundle", then "Save All
      // and Export". Stops once the file is saved, before the export's Cancel could be clicked.
      for (const end = Date.now() + 30000; !done && editor.document.isDirty && Date.now() < end; ) {
        await vscode.commands.executeCommand('notification.acceptPrimaryAction');
        await new Promise((r) => setTimeout(r, 300));
      }
      const result = await approving;
      assert.equal(editor.document.isDirty, false, 'the export asked about the unsaved file, and it was saved');
      assert.ok(result, 'approve signed');
      assert.equal(result.record.digest, await digest(a), 'the approval is of the change as saved');
    } finally {
      if (editor.document.isDirty) {
        await vscode.window.showTextDocument(editor.document);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Approve signs with the key remembered in specgate.approve.keyPath, without asking', async () => {
    const config = vscode.workspace.getConfiguration('specgate');
    await config.update('approve.keyPath', key, vscode.ConfigurationTarget.Global);
    try {
      await digest(a);
      const dir = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
      const result = await vscode.commands.executeCommand<{ record: { decision: string; reviewer: { principal?: string } } }>('specgate.approve', {
        root,
        bundleDir: dir,
        comment: '',
      });
      assert.ok(result, 'approve asked for something instead of using the remembered key');
      assert.deepEqual([result.record.decision, result.record.reviewer.principal], ['approved', REVIEWER]);
    } finally {
      await config.update('approve.keyPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Reject writes a rejection that verify refuses', async () => {
    await digest(a);
    const dir = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    const result = await vscode.commands.executeCommand<{ record: { decision: string } }>('specgate.reject', { root, bundleDir: dir, keyPath: key, comment: 'auth change' });
    assert.equal(result.record.decision, 'rejected');
    const v = await vscode.commands.executeCommand<{ ok: boolean; code: string }>('specgate.verify', { root, quiet: true });
    assert.deepEqual([v.ok, v.code], [false, 'rejected']);
    await waitFor('Rejected in the Review tree', async () => (await a.trees.review())[0]?.label.startsWith('Rejected by') || undefined);
  });

  it("Approve after the same reviewer's Reject replaces their own record without asking, and says so", async () => {
    await digest(a);
    const dir = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    type Result = { file: string; record: { decision: string }; replaced?: { kind: string; message: string } };
    const rejected = await vscode.commands.executeCommand<Result>('specgate.reject', { root, bundleDir: dir, keyPath: key, comment: 'not yet' });
    assert.equal(rejected.replaced, undefined);
    // No question is asked (a modal here would never be answered and the test would time out).
    const approved = await vscode.commands.executeCommand<Result | undefined>('specgate.approve', { root, bundleDir: dir, keyPath: key, comment: 'now fine' });
    assert.ok(approved, 'approve returned nothing');
    assert.deepEqual([approved.record.decision, approved.replaced?.kind, approved.replaced?.message], ['approved', 'own', 'replaced your earlier rejection of this change']);
    assert.equal(JSON.parse(await readFile(approved.file, 'utf8')).decision, 'approved');
    const v = await vscode.commands.executeCommand<{ ok: boolean; code: string }>('specgate.verify', { root, quiet: true });
    assert.deepEqual([v.ok, v.code], [true, 'approved']);
    // The same decision again: replaced without a word.
    const again = await vscode.commands.executeCommand<Result>('specgate.approve', { root, bundleDir: dir, keyPath: key, comment: '' });
    assert.equal(again.replaced, undefined);
  });

  it('Verify without any approval says so in one line', async () => {
    await digest(a);
    const v = await vscode.commands.executeCommand<{ ok: boolean; code: string; reason: string }>('specgate.verify', { root, quiet: true });
    assert.deepEqual([v.ok, v.code], [false, 'no-approval']);
    assert.doesNotMatch(v.reason, /\n/);
  });

  it('Restore File refuses a file that is no deletion of the analysed change, and writes nothing', async () => {
    const { existsSync } = await import('node:fs');
    const outside = path.join(path.dirname(root), 'restored-elsewhere.ts');
    const ok = await vscode.commands.executeCommand<boolean>('specgate.restoreFile', {
      id: 'x',
      file: outside,
      target: { type: 'diff', status: 'deleted', root, path: 'src/billing/retry.ts' },
    });
    assert.equal(ok, false);
    assert.equal(existsSync(outside), false);
    // A file of the repository that the change did not delete: refused too.
    const there = path.join(root, 'src/billing/retry.ts');
    const before = await readFile(there, 'utf8');
    assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile', { id: 'x', file: there, target: { type: 'diff', status: 'deleted', root, path: 'src/billing/retry.ts' } }), false);
    assert.equal(await readFile(there, 'utf8'), before);
  });

  it('Restore File from the palette: with nothing deleted it says so; else it lists the deleted files, and the one picked comes back', async () => {
    const { rm } = await import('node:fs/promises');
    const { existsSync } = await import('node:fs');
    await digest(a);
    assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile'), false);
    const gone = path.join(root, 'src/billing/attempts.ts');
    const before = await readFile(gone, 'utf8');
    await rm(gone);
    await a.model.refresh();
    await waitFor('attempts.ts deleted in the analysis', () => a.model.folders()[0]?.report?.changes.some((c) => c.path === 'src/billing/attempts.ts' && c.status === 'deleted'));
    // The quick pick lists the one deleted file; accepting it picks that file.
    assert.equal(await acceptFirstPick<boolean>('specgate.restoreFile'), true);
    assert.ok(existsSync(gone));
    assert.equal(await readFile(gone, 'utf8'), before);
  });

  it('Restore File puts a file back as a checkout writes it: executable again, its line endings as .gitattributes asks; a symbolic link, or a file under a filter driver, is refused and no driver runs', async () => {
    const { chmod, rm, stat, symlink, lstat } = await import('node:fs/promises');
    await writeWorkspaceFile('bin/run.sh', '#!/bin/sh\necho run\n');
    await chmod(path.join(root, 'bin/run.sh'), 0o755);
    await writeWorkspaceFile('.gitattributes', 'notes.txt eol=crlf\nasset.bin filter=fake\n');
    await writeWorkspaceFile('notes.txt', 'one\ntwo\n');
    await symlink('src/billing/retry.ts', path.join(root, 'link.ts'));
    // A filter driver the repository configures: its smudge program must never run.
    const ran = path.join(os.tmpdir(), `specgate-smudge-ran-${process.pid}`);
    await git(root, 'config', 'filter.fake.clean', 'cat');
    await git(root, 'config', 'filter.fake.smudge', `sh -c 'touch "${ran}"; cat'`);
    await writeWorkspaceFile('asset.bin', 'pointer\n');
    await git(root, 'add', 'bin/run.sh', '.gitattributes', 'notes.txt', 'link.ts', 'asset.bin');
    await git(root, '-c', 'user.name=Fixture Author', '-c', 'user.email=author@example.com', 'commit', '-q', '-m', 'a script, notes and a link');
    try {
      for (const f of ['bin/run.sh', 'notes.txt', 'link.ts', 'asset.bin']) await rm(path.join(root, f));
      await rm(ran, { force: true });
      await a.model.refresh();
      await waitFor('the four deleted in the analysis', () => {
        const deleted = a.model.folders()[0]?.report?.changes.filter((c) => c.status === 'deleted').map((c) => c.path);
        return deleted?.length === 4;
      });
      const row = (p: string) => ({ id: 'x', file: path.join(root, p), target: { type: 'diff', status: 'deleted', root, path: p } });
      assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile', row('bin/run.sh')), true);
      assert.equal(await readFile(path.join(root, 'bin/run.sh'), 'utf8'), '#!/bin/sh\necho run\n');
      assert.equal((await stat(path.join(root, 'bin/run.sh'))).mode & 0o111, 0o111, 'executable again');
      assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile', row('notes.txt')), true);
      assert.equal(await readFile(path.join(root, 'notes.txt'), 'utf8'), 'one\r\ntwo\r\n');
      assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile', row('link.ts')), false);
      await assert.rejects(lstat(path.join(root, 'link.ts')), 'nothing written where the link was');
      assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile', row('asset.bin')), false);
      await assert.rejects(lstat(path.join(root, 'asset.bin')), 'nothing written for the filtered file');
      await assert.rejects(lstat(ran), 'the smudge program never ran');
    } finally {
      await git(root, 'config', '--unset', 'filter.fake.clean');
      await git(root, 'config', '--unset', 'filter.fake.smudge');
    }
  });

  it('Restore File writes nowhere git\'s checkout would not: a base tree holding .git/hooks/post-commit, or a folder on the way made a symbolic link', async () => {
    const { existsSync } = await import('node:fs');
    const { symlink } = await import('node:fs/promises');
    const hook = path.join(root, '.git/hooks/post-commit');
    await rm(hook, { force: true });
    // A commit can hold any name: its tree gets a .git/hooks/post-commit (mode 100755).
    const blob = (await git(root, 'hash-object', '-w', '--', await writeWorkspaceFile('hook.txt', '#!/bin/sh\nexit 0\n').then((u) => u.fsPath))).trim();
    await rm(path.join(root, 'hook.txt'));
    const mktree = async (listing: string) => {
      const { execFileSync } = await import('node:child_process');
      return execFileSync('git', ['mktree'], { cwd: root, input: listing, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } }).trim();
    };
    const hooks = await mktree(`100755 blob ${blob}\tpost-commit\n`);
    const dotGit = await mktree(`040000 tree ${hooks}\thooks\n`);
    const tree = await mktree(`${(await git(root, 'ls-tree', 'HEAD')).trim()}\n040000 tree ${dotGit}\t.git\n`);
    const commit = (await git(root, '-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit-tree', tree, '-p', 'HEAD', '-m', 'a tree with .git in it')).trim();
    await git(root, 'update-ref', 'HEAD', commit);
    await a.model.refresh();
    await waitFor('.git/hooks/post-commit listed as deleted', () => a.model.folders()[0]?.report?.changes.some((c) => c.path === '.git/hooks/post-commit' && c.status === 'deleted'));
    const row = (p: string) => ({ id: 'x', file: path.join(root, p), target: { type: 'diff', status: 'deleted', root, path: p } });
    assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile', row('.git/hooks/post-commit')), false);
    assert.equal(existsSync(hook), false, 'no hook written');
    await resetWorkspace();
    // A folder of the base made a link to a folder outside the repository.
    const outside = await mkdtemp(path.join(os.tmpdir(), 'specgate-outside-'));
    try {
      await rm(path.join(root, 'src/billing'), { recursive: true });
      await symlink(outside, path.join(root, 'src/billing'));
      await a.model.refresh();
      await waitFor('src/billing/attempts.ts listed as deleted', () => a.model.folders()[0]?.report?.changes.some((c) => c.path === 'src/billing/attempts.ts' && c.status === 'deleted'));
      assert.equal(await vscode.commands.executeCommand<boolean>('specgate.restoreFile', row('src/billing/attempts.ts')), false);
      assert.equal(existsSync(path.join(outside, 'attempts.ts')), false, 'nothing written outside the repository');
    } finally {
      await rm(path.join(root, 'src/billing'), { force: true });
      await mkdir(path.join(root, 'src/billing'), { recursive: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('New Spec creates the files of a layout and never overwrites them', async () => {
    const created = await vscode.commands.executeCommand<string[]>('specgate.newSpec', { root, layout: 'kiro', name: 'cache-layer' });
    assert.deepEqual(
      created?.map((f) => path.relative(root, f).split(path.sep).join('/')),
      ['.kiro/specs/cache-layer/requirements.md', '.kiro/specs/cache-layer/design.md', '.kiro/specs/cache-layer/tasks.md'],
    );
    const tasks = path.join(root, '.kiro/specs/cache-layer/tasks.md');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, tasks);
    // The spec just made is the active one (with two specs, none would be).
    await waitFor('cache-layer active', async () => (a.model.folders()[0] as { activeSpec?: { id: string } }).activeSpec?.id === '.kiro/specs/cache-layer');
    await writeFile(tasks, 'mine\n');
    const again = await vscode.commands.executeCommand<string[] | undefined>('specgate.newSpec', { root, layout: 'kiro', name: 'cache-layer' });
    assert.equal(again, undefined);
    assert.equal(await readFile(tasks, 'utf8'), 'mine\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // As the other tests expect it: no spec chosen.
    await a.model.setActiveSpec(vscode.workspace.workspaceFolders![0]!, undefined);
  });

  it('A spec folder one letter off: the Specs view names it, and its fix renames it (refused where the name is taken)', async () => {
    const { rename } = await import('node:fs/promises');
    const wrong = path.join(root, '.kiro/spec/billing-retry');
    const right = path.join(root, '.kiro/specs/billing-retry');
    // As an assistant might have written it: .kiro/spec/, not .kiro/specs/.
    await mkdir(path.dirname(wrong), { recursive: true });
    await rename(right, wrong);
    // The name SpecGate reads is taken (an empty folder): the rename is refused, nothing moves.
    await mkdir(right);
    await a.model.refresh();
    const state = a.model.folders()[0]!;
    assert.deepEqual(state.specs, []);
    assert.deepEqual(state.nearMisses, [{ folder: '.kiro/spec/billing-retry/', hint: 'Kiro specs are read from .kiro/specs/billing-retry/', readAs: '.kiro/specs/billing-retry/' }]);
    const rows = await waitFor('the near miss in the Specs view', async () => {
      const s = await a.trees.specs();
      return s[0]?.label === '.kiro/spec/billing-retry/' ? s : undefined;
    });
    assert.deepEqual(
      rows.map((r) => [r.label, r.description]),
      [
        ['.kiro/spec/billing-retry/', 'not read as a spec'],
        ['No spec: create one', undefined],
      ],
    );
    const changes = (await a.trees.changes())[0];
    assert.deepEqual([changes?.label, changes?.description], ['No spec read', '.kiro/spec/billing-retry/']);
    assert.equal(a.statusText(), '$(warning) No spec read');
    const arg = { root, folder: '.kiro/spec/billing-retry/', rename: true };
    assert.equal(await vscode.commands.executeCommand('specgate.fixSpecFolder', arg), undefined);
    assert.ok(existsSync(path.join(wrong, 'tasks.md')) && readdirSync(right).length === 0, 'nothing was moved');
    // With the name free, the folder is renamed through a workspace edit and read as the spec.
    await rm(right, { recursive: true });
    await a.model.refresh();
    const to = await vscode.commands.executeCommand<vscode.Uri | undefined>('specgate.fixSpecFolder', arg);
    assert.equal(to?.fsPath, right);
    assert.ok(!existsSync(wrong) && existsSync(path.join(right, 'tasks.md')), 'the folder was renamed');
    const after = a.model.folders()[0]!;
    assert.deepEqual([after.activeSpec?.id, after.nearMisses], ['.kiro/specs/billing-retry', []]);
    await waitFor('the status bar naming the spec again', async () => (a.statusText().startsWith('$(target) billing-retry') ? true : undefined));
    // A row that is stale by now (the folder is read) fixes nothing.
    assert.equal(await vscode.commands.executeCommand('specgate.fixSpecFolder', arg), undefined);
    assert.ok(existsSync(path.join(right, 'tasks.md')));
    // Beside the spec that is read, another folder laid out almost as one is named too, and
    // the analysis against the active spec goes on.
    await writeWorkspaceFile('openspec/add-export/proposal.md', '## Why\nExport.\n');
    await a.model.refresh();
    const beside = a.model.folders()[0]!;
    assert.deepEqual(beside.nearMisses, [{ folder: 'openspec/add-export/', hint: 'OpenSpec changes are read from openspec/changes/add-export/', readAs: 'openspec/changes/add-export/' }]);
    assert.ok(beside.report, 'the change is analysed');
    const labels = await waitFor('the near miss above the spec', async () => {
      const s = (await a.trees.specs()).map((n) => n.label);
      return s[0] === 'openspec/add-export/' ? s : undefined;
    });
    assert.deepEqual(labels, ['openspec/add-export/', 'billing-retry']);
  });

  it('A spec under test/fixtures is test data, not read; ignoreSpecs in the config reads it', async () => {
    await writeWorkspaceFile('test/fixtures/other-repo/docs/spec.md', '---\nscope:\n  - lib/**\n---\n# Fixture spec\n');
    await a.model.refresh();
    const ids = () => a.model.folders()[0]!.specs.map((s) => (s as { id: string }).id);
    assert.deepEqual(ids(), ['.kiro/specs/billing-retry']);
    assert.equal(a.model.folders()[0]!.activeSpec?.id, '.kiro/specs/billing-retry');
    await writeWorkspaceFile('.specgate/config.yml', 'ignoreSpecs: []\n');
    await a.model.refresh();
    assert.deepEqual(ids(), ['.kiro/specs/billing-retry', 'test/fixtures/other-repo/docs/spec.md']);
    const labels = await waitFor('the fixture spec in the Specs view', async () => {
      const s = (await a.trees.specs()).map((n) => n.label);
      return s.includes('spec') ? s : undefined;
    });
    // Two specs now, and none chosen: the view asks which one the change implements.
    assert.deepEqual(labels, ['Select the active spec', 'billing-retry', 'spec']);
  });

  /**
   * The repository's one spec becomes a test fixture's: the Kiro spec moves among the test
   * data (where it is no spec either) and a spec with scope front matter is written there.
   */
  async function onlyTestDataSpec(): Promise<string> {
    const fixture = 'test/fixtures/app/docs/billing.md';
    const { rename } = await import('node:fs/promises');
    await mkdir(path.join(root, 'test/fixtures'), { recursive: true });
    await rename(path.join(root, '.kiro/specs/billing-retry'), path.join(root, 'test/fixtures/billing-retry'));
    await writeWorkspaceFile(fixture, '---\nscope:\n  - src/**\n---\n# Billing\n');
    return fixture;
  }

  it('With only test data for specs: the Specs view names the ignored spec, and its row reads it through a new .specgate/config.yml', async () => {
    const fixture = await onlyTestDataSpec();
    await a.model.refresh();
    const state = a.model.folders()[0]!;
    assert.deepEqual([state.specs, state.ignoredSpecs], [[], [{ id: fixture, globs: ['**/fixtures/**'], byDefault: true }]]);
    const rows = await waitFor('the ignored spec in the Specs view', async () => {
      const s = await a.trees.specs();
      return s.some((r) => r.label === fixture) ? s : undefined;
    });
    assert.deepEqual(
      rows.map((r) => [r.label, r.description]),
      [
        ['No spec: create one', undefined],
        [fixture, 'ignored: ignoreSpecs'],
      ],
    );
    // Test data left out is no warning of its own: the status bar item stays hidden.
    assert.equal(a.statusText(), '');
    const arg = { root, spec: fixture, read: true };
    assert.equal(await vscode.commands.executeCommand('specgate.readIgnoredSpec', arg), true);
    const config = path.join(root, '.specgate/config.yml');
    const text = await readFile(config, 'utf8');
    assert.match(text, /^ignoreSpecs:\n {2}- "\*\*\/__fixtures__\/\*\*"\n {2}- "\*\*\/testdata\/\*\*"\n$/m);
    assert.doesNotMatch(text, /"\*\*\/fixtures\/\*\*"/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, config);
    assert.equal(vscode.window.activeTextEditor?.document.isDirty, false, 'the new config is saved');
    const after = a.model.folders()[0]!;
    assert.deepEqual([after.activeSpec?.id, after.ignoredSpecs], [fixture, []]);
    await waitFor('the status bar naming the spec read now', async () => (a.statusText().startsWith('$(target) billing') ? true : undefined));
    // The row is stale now: its command changes nothing.
    assert.equal(await vscode.commands.executeCommand('specgate.readIgnoredSpec', arg), false);
    assert.equal(await readFile(config, 'utf8'), text);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Reading an ignored spec takes only its glob out of an existing config, keeps the comments, and leaves a buffer with unsaved edits unsaved', async () => {
    const fixture = await onlyTestDataSpec();
    await writeWorkspaceFile('examples/lib/spec.md', '---\nscope:\n  - lib/**\n---\n# Example spec\n');
    const before = '# ours\nthresholds:\n  largeDeletion: 150\nignoreSpecs:\n  - test/fixtures # test data\n  - examples/** # not ours\n';
    const config = await writeWorkspaceFile('.specgate/config.yml', before);
    // Committed: until then, a list the change edits leaves out only what the base's leaves out too.
    await git(root, 'add', '.specgate/config.yml');
    await git(root, '-c', 'user.name=Fixture Author', '-c', 'user.email=author@example.com', 'commit', '-q', '-m', 'ignore test data and examples');
    await a.model.refresh();
    assert.deepEqual(a.model.folders()[0]!.ignoredSpecs, [
      { id: 'examples/lib/spec.md', globs: ['examples/**'], byDefault: false },
      { id: fixture, globs: ['test/fixtures'], byDefault: false },
    ]);
    // The command reads the config as the editor holds it. Unsaved, a list that does not
    // parse is refused, and the buffer stays as the user typed it.
    // (An earlier test's config may still be open: the document follows the disk shortly.)
    const doc = await waitFor('the config document as on disk', async () => {
      const d = await vscode.workspace.openTextDocument(config);
      return d.getText() === before ? d : undefined;
    });
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'ignoreSpecs: [\n'));
    assert.equal(await vscode.commands.executeCommand('specgate.readIgnoredSpec', { root, spec: fixture, read: true }), false);
    assert.equal(doc.getText(), `ignoreSpecs: [\n${before}`);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), before);
    // The user's unsaved edit in the config: the command edits the buffer and does not save it.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# mine\n'));
    assert.equal(await vscode.commands.executeCommand('specgate.readIgnoredSpec', { root, spec: fixture, read: true }), true);
    assert.equal(doc.getText(), '# mine\n# ours\nthresholds:\n  largeDeletion: 150\nignoreSpecs:\n  - examples/** # not ours\n');
    assert.equal(doc.isDirty, true);
    assert.equal(await readFile(config.fsPath, 'utf8'), before, 'the file on disk is as the user left it');
    // One undo in the editor takes the whole edit back, leaving the user's own edit.
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), `# mine\n${before}`);
    await vscode.commands.executeCommand('redo');
    await doc.save();
    await a.model.refresh();
    assert.deepEqual([a.model.folders()[0]!.activeSpec?.id, a.model.folders()[0]!.ignoredSpecs], [fixture, []]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('A change to ignoreSpecs cannot hide the active spec: the editor keeps reviewing against it, the config edit a finding', async () => {
    await writeWorkspaceFile('docs/specs/loose.md', '---\nscope:\n  - "**"\n---\n# Loose\n');
    await writeWorkspaceFile('.specgate/config.yml', 'ignoreSpecs: [".kiro/**"]\n');
    await a.model.refresh();
    // Until the edit is committed, a file is left out only if HEAD's list leaves it out too: both specs are read.
    assert.deepEqual(a.model.folders()[0]!.specs.map((s) => (s as { id: string }).id), ['.kiro/specs/billing-retry', 'docs/specs/loose.md']);
    assert.equal(await vscode.commands.executeCommand('specgate.selectSpec', { root, specId: '.kiro/specs/billing-retry' }), '.kiro/specs/billing-retry');
    const state = await waitFor('the analysis against billing-retry', async () => {
      const s = a.model.folders()[0]! as { activeSpec?: { id: string }; report?: { spec: { id: string }; findings: { path: string; rule: string }[] } };
      return s.report?.spec.id === '.kiro/specs/billing-retry' ? s : undefined;
    });
    assert.deepEqual(state.report!.findings.filter((f) => f.path === '.specgate/config.yml').map((f) => f.rule).sort(), ['SG101', 'SG210']);
  });

  it('Select Active Spec by argument switches the spec the trees show', async () => {
    await vscode.commands.executeCommand('specgate.newSpec', { root, layout: 'plain', name: 'other' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a.model.refresh();
    const id = await vscode.commands.executeCommand<string>('specgate.selectSpec', { root, specId: 'docs/specs/other.md' });
    assert.equal(id, 'docs/specs/other.md');
    const specs = await waitFor('other active', async () => {
      const s = await a.trees.specs();
      return s.find((n) => n.label === 'other')?.description?.endsWith('active') ? s : undefined;
    });
    assert.equal(specs.find((n) => n.label === 'billing-retry')?.description, 'kiro');
    await vscode.commands.executeCommand('specgate.selectSpec', { root, specId: '.kiro/specs/billing-retry' });
  });

  it('Select Active Spec from the palette lists the active spec first: accepting the first row keeps it', async () => {
    await vscode.commands.executeCommand('specgate.newSpec', { root, layout: 'plain', name: 'other' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a.model.refresh();
    // docs/specs/other.md sorts after .kiro/specs/billing-retry, which would come first.
    await vscode.commands.executeCommand('specgate.selectSpec', { root, specId: 'docs/specs/other.md' });
    assert.equal(await acceptFirstPick<string | undefined>('specgate.selectSpec'), 'docs/specs/other.md');
    await vscode.commands.executeCommand('specgate.selectSpec', { root, specId: '.kiro/specs/billing-retry' });
  });

  it('says so when the spec chosen with Select Active Spec is renamed on disk, rather than dropping it without a word', async () => {
    await vscode.commands.executeCommand('specgate.newSpec', { root, layout: 'plain', name: 'other' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a.model.refresh();
    await vscode.commands.executeCommand('specgate.selectSpec', { root, specId: 'docs/specs/other.md' });
    await waitFor('other active', async () => (a.model.folders()[0] as { activeSpec?: { id: string } }).activeSpec?.id === 'docs/specs/other.md');
    await writeFile(path.join(root, 'docs/specs/other-v2.md'), await readFile(path.join(root, 'docs/specs/other.md')));
    await rm(path.join(root, 'docs/specs/other.md'));
    await a.model.refresh();
    const note = 'The spec you chose, docs/specs/other.md, is no longer there (renamed or deleted); select the active spec.';
    const specs = await waitFor('the note in the Specs view', async () => {
      const s = await a.trees.specs();
      return s.some((n) => n.label === note) ? s : undefined;
    });
    assert.deepEqual(
      specs.filter((n) => n.label === 'billing-retry' || n.label === 'other-v2').map((n) => n.description),
      ['kiro', 'plain'],
      'no spec is active until one is chosen',
    );
    // Choosing one ends the note.
    await vscode.commands.executeCommand('specgate.selectSpec', { root, specId: '.kiro/specs/billing-retry' });
    await waitFor('the note gone', async () => !(await a.trees.specs()).some((n) => n.label === note));
  });

  it('Install Pre-commit Gate writes the hook that runs specgate verify --staged', async () => {
    const result = await vscode.commands.executeCommand<{ path: string; action: string }>('specgate.installHook', { root });
    assert.equal(result.action, 'installed');
    const hook = await readFile(result.path, 'utf8');
    assert.match(hook, /^# specgate-pre-commit-hook v1$/m);
    assert.match(hook, /verify --staged/);
    await rm(result.path, { force: true });
  });

  it('Install Pre-commit Gate refuses the hooks folder core.hooksPath names in the global config, and writes nothing', async () => {
    // A hooks folder every repository of the user runs: the gate there would gate all of them.
    const home = await mkdtemp(path.join(os.tmpdir(), 'specgate-global-'));
    const shared = path.join(home, 'hooks');
    await mkdir(shared);
    await writeFile(path.join(home, 'gitconfig'), `[core]\n\thooksPath = ${shared}\n`);
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = path.join(home, 'gitconfig');
    try {
      const result = await vscode.commands.executeCommand('specgate.installHook', { root });
      assert.equal(result, undefined);
      assert.deepEqual(readdirSync(shared), []);
      assert.ok(!existsSync(path.join(root, '.git', 'hooks', 'pre-commit')));
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
      await rm(home, { recursive: true, force: true });
    }
  });
});
