// A change of a file's mode only (chmod +x, no byte changed) is said wherever a reviewer reads
// the change: the text report, packet.json, REVIEW.md, review.html, the review panel and the
// Changes view; not just `+0 −0`.
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../src/core/model';
import { renderText } from '../../src/core/render/text';
import { modeText } from '../../src/core/render/reviewdata';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { buildChangesNodes } from '../../src/vscode/sidebar/changesNodes';
import { snapshot, type TreeSnapshot } from '../../src/vscode/sidebar/nodes';
import { buildPanelData } from '../../src/vscode/webview/panelData';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

const SPEC = '---\nscope:\n  - src/**\n---\n# Cache\n\n## Tasks\n- [ ] 1. Run `src/run.sh`\n';
const MODE = 'mode 100644 → 100755 (now executable)';

function rows(nodes: TreeSnapshot[]): string[] {
  return nodes.flatMap((n) => [`${n.label}${n.description ? ` | ${n.description}` : ''}`, ...rows(n.children)]);
}

describe('a mode-only change (chmod +x)', function () {
  this.timeout(30000);
  let repo: TestRepo;
  const prevEnv = { ...process.env };

  beforeEach(async () => {
    repo = await makeRepo({ 'docs/specs/cache.md': SPEC, 'src/run.sh': 'echo hi\n', 'src/lib.sh': 'true\n' });
    Object.assign(process.env, testGitEnv(path.join(repo.root, '..', 'home')));
    chmodSync(path.join(repo.root, 'src/run.sh'), 0o755);
  });
  afterEach(async () => {
    process.env = { ...prevEnv };
    await repo.cleanup();
  });

  it('names the mode change, and nothing for files whose mode stayed', () => {
    assert.equal(modeText({ oldMode: '100644', newMode: '100755' }), MODE);
    assert.equal(modeText({ oldMode: '100755', newMode: '100644' }), 'mode 100755 → 100644 (no longer executable)');
    assert.equal(modeText({ oldMode: '100644', newMode: '120000' }), 'mode 100644 → 120000 (now a symbolic link)');
    assert.equal(modeText({ oldMode: '100644', newMode: '100644' }), undefined);
    // A new file: said only when it is not a plain one.
    assert.equal(modeText({ newMode: '100755' }), 'mode 100755 (executable)');
    assert.equal(modeText({ newMode: '120000' }), 'mode 120000 (a symbolic link)');
    assert.equal(modeText({ newMode: '160000' }), 'mode 160000 (a submodule)');
    assert.equal(modeText({ newMode: '100644' }), undefined);
    assert.equal(modeText({ newMode: 'toString' }), undefined);
    // A packet is read from disk: anything that is no mode is not shown.
    assert.equal(modeText({ oldMode: '100644', newMode: '10075<b>' }), undefined);
  });

  it('check: the text report and the JSON report say the mode changed', async () => {
    await repo.write('src/lib.sh', 'false\n');
    const { report } = await analyzeRepository({ cwd: repo.root });
    const run = report.changes.find((c) => c.path === 'src/run.sh')!;
    assert.deepEqual([run.oldMode, run.newMode, run.added, run.removed], ['100644', '100755', 0, 0]);
    const lib = report.changes.find((c) => c.path === 'src/lib.sh')!;
    assert.ok(!('oldMode' in lib) && !('newMode' in lib), 'a change whose mode stayed carries no modes');
    const text = renderText(report);
    assert.match(text, new RegExp(`^  M src/run\\.sh  \\+0 −0 · ${MODE.replace(/[()]/g, '\\$&')}  task 1$`, 'm'));
    assert.match(text, /^ {2}M src\/lib\.sh {2}\+1 −1$/m);
  });

  it('bundle: REVIEW.md and review.html say it in the file list and at the file, the panel and the Changes view too', async () => {
    const analysis = await analyzeRepository({ cwd: repo.root });
    const dir = await writeBundle(analysis, {});
    const md = readFileSync(path.join(dir, 'REVIEW.md'), 'utf8');
    assert.ok(md.includes(`| 1 | \`src/run.sh\` | modified | in scope | +0 −0 · ${MODE} | \`1\` |`), md);
    assert.ok(md.includes(`### 1. \`src/run.sh\` (modified · in scope · +0 −0 · ${MODE})`), md);
    assert.ok(md.includes(`No line changes; ${MODE}.`), md);
    assert.ok(!md.includes('mode or empty file'));

    const html = readFileSync(path.join(dir, 'review.html'), 'utf8');
    assert.ok(html.includes(`<td><span class="plus">+0</span> <span class="minus">−0</span> · ${MODE}</td>`), 'file list');
    assert.ok(html.includes(`<span class="muted">modified · in scope · +0 −0 · ${MODE}</span>`), 'file heading');
    assert.ok(html.includes(`<p class="muted">No line changes; ${MODE}.</p>`), 'file body');

    const packet = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    assert.deepEqual(
      packet.changes.map((c: { path: string; oldMode?: string; newMode?: string }) => [c.path, c.oldMode, c.newMode]),
      [['src/run.sh', '100644', '100755']],
    );
    const panel = buildPanelData(packet, readFileSync(path.join(dir, 'changes.patch'), 'utf8'));
    assert.equal(panel.files[0]!.mode, MODE);

    const tree = rows(snapshot(buildChangesNodes([{ name: 'r', root: repo.root, specs: [analysis.spec], activeSpecId: analysis.spec.id, report: analysis.report, trusted: true }])));
    assert.ok(tree.includes(`run.sh | M · src · +0 −0 · ${MODE}`), tree.join('\n'));
  });

  it('a new symbolic link and a new executable say what they are, untracked and staged alike; a new plain file says nothing', async () => {
    symlinkSync('/etc/passwd', path.join(repo.root, 'src/config'));
    await repo.write('src/new.sh', 'echo new\n');
    chmodSync(path.join(repo.root, 'src/new.sh'), 0o755);
    await repo.write('src/plain.txt', 'plain\n');
    const shown = (r: Report) => r.changes.filter((c) => c.status === 'added').map((c) => [c.path, c.oldMode, c.newMode, c.added]);
    const expected = [
      ['src/config', undefined, '120000', 1],
      ['src/new.sh', undefined, '100755', 1],
      ['src/plain.txt', undefined, undefined, 1],
    ];
    const untracked = (await analyzeRepository({ cwd: repo.root })).report;
    assert.deepEqual(shown(untracked), expected);
    const text = renderText(untracked);
    assert.match(text, /^ {2}A src\/config {2}\+1 −0 · mode 120000 \(a symbolic link\)$/m);
    assert.match(text, /^ {2}A src\/new\.sh {2}\+1 −0 · mode 100755 \(executable\)$/m);
    assert.match(text, /^ {2}A src\/plain\.txt {2}\+1 −0$/m);
    await repo.git('add', '-A');
    const staged = (await analyzeRepository({ cwd: repo.root, staged: true })).report;
    assert.deepEqual(shown(staged), expected);
    assert.equal(staged.digest, untracked.digest);
  });
});
