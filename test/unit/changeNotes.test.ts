// Notes on how SpecGate read a change (a file under a working-tree-encoding it cannot decode,
// listed as binary) reach the reviewer, not only stderr: REVIEW.md, review.html and
// packet.json of the bundle, the Changes view's rows, and `check`'s text report. Real
// repositories; the file's name holds markup characters, so each format must escape it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderHtml } from '../../src/core/render/html';
import { renderMarkdown } from '../../src/core/render/markdown';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { buildChangesNodes } from '../../src/vscode/sidebar/changesNodes';
import type { FolderInput } from '../../src/vscode/sidebar/folderInput';
import { snapshot } from '../../src/vscode/sidebar/nodes';
import { cliBuilt, runCli } from './helpers/checkCli';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';
import { makeInput } from './reviewFixture';
import { buildPanelData, checkPacket, packetNotes } from '../../src/vscode/webview/panelData';
import { nodes, parseMd } from './helpers/markdownTree';
import type { Log as Sarif } from 'sarif';

/** The list under the `## Notes (n)` heading: each item's node types (below the item) and its text. */
async function notesList(md: string): Promise<{ types: string[]; text: string }[] | undefined> {
  const tree = await parseMd(md);
  const top = tree.children ?? [];
  const at = top.findIndex((n) => n.type === 'heading' && n.depth === 2 && /^Notes \(\d+\)$/.test(n.children?.map((c) => c.value).join('') ?? ''));
  if (at < 0) return undefined;
  const list = top[at + 1];
  assert.equal(list?.type, 'list');
  return list!.children!.map((item) => {
    const below = [...nodes(item)].slice(1);
    return { types: [...new Set(below.map((n) => n.type))].sort(), text: below.filter((n) => n.type === 'text').map((n) => n.value).join('') };
  });
}

const utf16le = (s: string) => Buffer.from(s, 'utf16le');
const BOM = Buffer.from([0xff, 0xfe]);
const KIRO = '.kiro/specs/cache';
/** A name with markdown and HTML markup in it: `<`, `>`, `&`, `*` and a backtick. */
const ODD = 'src/a<b>&*x`.ps1';
const NOTE = `${ODD} uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark, which git refuses for UTF-16LE; it is listed as binary`;
const NOTE_MD = '- src/a\\<b\\>\\&\\*x\\`.ps1 uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark, which git refuses for UTF-16LE; it is listed as binary';
const NOTE_HTML = 'src/a&lt;b&gt;&amp;*x`.ps1 uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark, which git refuses for UTF-16LE; it is listed as binary';

describe('notes on how the change was read', function () {
  this.timeout(60000);
  let repo: TestRepo;
  const prevEnv = { ...process.env };

  beforeEach(async () => {
    repo = await makeRepo({
      [`${KIRO}/requirements.md`]: '# Requirements\n\n### Requirement 1: Cache lookups\n\n1. WHEN a key is read THEN the system SHALL return the cached value\n',
      [`${KIRO}/tasks.md`]: '# Tasks\n\n- [ ] 1. Add the cache in `src/app.ts`\n  - _Requirements: 1_\n',
      '.gitattributes': '*.ps1 working-tree-encoding=UTF-16LE text\n',
      [ODD]: utf16le('Write-Host "hi"\n'),
      'src/app.ts': 'export const a = 1;\n',
    });
    Object.assign(process.env, testGitEnv(path.join(repo.root, '..', 'home')));
  });
  afterEach(async () => {
    process.env = { ...prevEnv };
    await repo.cleanup();
  });

  /** The encoded file edited so that git would refuse to convert it (a byte order mark under UTF-16LE). */
  const undecodable = () => repo.write(ODD, Buffer.concat([BOM, utf16le('Write-Host "bye"\n')]));
  const bundle = async () => {
    const dir = await writeBundle(await analyzeRepository({ cwd: repo.root, useCache: false }), { out: path.join(repo.root, '..', 'reviews') });
    const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
    return { md: read('REVIEW.md'), html: read('review.html'), packet: JSON.parse(read('packet.json')) as Record<string, unknown>, sarif: JSON.parse(read('review.sarif')) as Sarif };
  };

  it('the bundle shows the note, escaped, in a Notes section near the top of REVIEW.md and review.html, and in packet.json; a bundle with no note has none', async () => {
    await undecodable();
    const r = await analyzeRepository({ cwd: repo.root, useCache: false });
    assert.deepEqual(r.changeSet.notes, [NOTE]);
    const { md, html, packet, sarif } = await bundle();

    assert.ok(md.includes(`\n\n## Notes (1)\n\n${NOTE_MD}\n\n## Needs a decision (`), md.slice(0, 2000));
    assert.ok(md.indexOf('## Notes (1)') < md.indexOf('## Needs a decision'));
    // Read back by a CommonMark parser: one item of plain text, every character of the note.
    assert.deepEqual(await notesList(md), [{ types: ['paragraph', 'text'], text: NOTE }]);

    assert.ok(html.includes(`<section id="notes" aria-labelledby="notes-title">\n<h2 id="notes-title">Notes (1)</h2>\n<ul>\n<li>${NOTE_HTML}</li>\n</ul>\n</section>\n<section id="decide" aria-labelledby="decide-title">`), html.slice(0, 6000));
    assert.ok(html.includes('<nav><a href="#notes">Notes</a> · <a href="#decide">Needs a decision</a>'));
    assert.ok(!html.includes('<b>'), 'the file name became markup');

    assert.deepEqual(packet.notes, [NOTE]);
    // SARIF: a notification of the run (what the tool says about reading it), not a result.
    assert.deepEqual(sarif.runs[0]!.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [{ level: 'note', message: { text: NOTE } }] }]);

    // The same file saved in its encoding: decoded and diffed, nothing to say, no section.
    await repo.write(ODD, utf16le('Write-Host "bye"\n'));
    const again = await analyzeRepository({ cwd: repo.root, useCache: false });
    assert.equal(again.changeSet.notes, undefined);
    assert.equal(again.report.changes.find((c) => c.path === ODD)?.binary, false);
    const plain = await bundle();
    assert.ok(!plain.md.includes('## Notes'), plain.md.slice(0, 2000));
    assert.equal(await notesList(plain.md), undefined);
    assert.ok(plain.md.includes('signs exactly the content above.\n\n## Needs a decision ('));
    assert.ok(!plain.html.includes('id="notes"') && !plain.html.includes('href="#notes"'));
    assert.ok(plain.html.includes('</header>\n<nav><a href="#decide">Needs a decision</a>'));
    assert.equal('notes' in plain.packet, false);
    assert.equal('invocations' in plain.sarif.runs[0]!, false);
  });

  it('the review panel\'s data carries the packet\'s notes (and none for a packet without them)', async () => {
    await undecodable();
    const dir = await writeBundle(await analyzeRepository({ cwd: repo.root, useCache: false }), { out: path.join(repo.root, '..', 'reviews') });
    const packet = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8')) as unknown;
    const data = buildPanelData(checkPacket(packet), readFileSync(path.join(dir, 'changes.patch'), 'utf8'), packetNotes(packet));
    assert.deepEqual(data.notes, [NOTE]);
    const { notes: _drop, ...without } = packet as Record<string, unknown>;
    assert.equal(packetNotes(without), undefined);
    assert.equal('notes' in buildPanelData(checkPacket(without), '', packetNotes(without)), false);
  });

  it('the Changes view shows each note as an informational row above the groups, its tooltip the whole note', async () => {
    await undecodable();
    const r = await analyzeRepository({ cwd: repo.root, useCache: false });
    const input: FolderInput = { name: 'app', root: repo.root, specs: [r.spec], activeSpecId: r.spec.id, report: r.report, trusted: true };
    if (r.changeSet.notes) input.changeNotes = r.changeSet.notes;
    const one = snapshot(buildChangesNodes([input]));
    assert.deepEqual(one[0], { label: NOTE, tooltip: NOTE, icon: 'info', children: [] });
    assert.deepEqual(one.slice(1).map((n) => n.label), ['Out of scope']);
    // Several folders: under the folder whose change has the note, and only there.
    const other: FolderInput = { name: 'other', root: repo.root, specs: [r.spec], activeSpecId: r.spec.id, report: r.report, trusted: true };
    const two = snapshot(buildChangesNodes([input, other]));
    assert.deepEqual(two[0]!.children[0], { label: NOTE, tooltip: NOTE, icon: 'info', children: [] });
    assert.deepEqual(two[1]!.children.map((n) => n.label), ['Out of scope']);
  });

  describe('specgate check', () => {
    before(function () {
      if (!cliBuilt()) this.skip();
    });

    it('prints the note in the text report under the summary and in SARIF\'s run notifications, not on stderr; --format json adds it to the specgate.report/1 fields as notes, and says it on stderr too', async () => {
      await undecodable();
      const text = await runCli(repo, ['check']);
      assert.equal(text.code, 1, text.stderr);
      assert.match(text.stdout, new RegExp(`^Digest: +sha256:[0-9a-f]{64}\\n\\nNotes \\(1\\)\\n  ${NOTE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\n`, 'm'));
      assert.equal(text.stderr, '');

      const json = await runCli(repo, ['check', '--format', 'json']);
      assert.equal(json.code, 1, json.stderr);
      const report = JSON.parse(json.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(report), ['schema', 'spec', 'base', 'changes', 'findings', 'traceability', 'summary', 'digest', 'notes']);
      assert.deepEqual(report.notes, [NOTE]);
      assert.equal(json.stderr, `specgate: note: ${NOTE}\n`);

      const sarif = await runCli(repo, ['check', '--format', 'sarif']);
      assert.equal(sarif.code, 1, sarif.stderr);
      assert.equal(sarif.stderr, '');
      assert.deepEqual((JSON.parse(sarif.stdout) as Sarif).runs[0]!.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [{ level: 'note', message: { text: NOTE } }] }]);
    });
  });
});

describe('the Notes section of REVIEW.md and review.html', () => {
  it('holds each note as one item of plain text, whatever block or inline markup it starts with or holds', async () => {
    const notes = [
      '- a list',
      '+ a list',
      '1. an ordered list',
      '2) an ordered list',
      '    code by indent',
      '  two spaces',
      '---',
      '=== x',
      '> a quote',
      '# a heading',
      '```js',
      '| a | b |',
      '<b>x</b> & `y` *z* _w_ [l](javascript:x) ![i](i.png) ~~s~~ \\ \u202e',
    ];
    const input = { ...makeInput(), notes };
    const items = await notesList(renderMarkdown(input));
    // The bidirectional override is shown as `\u{202e}`, as everywhere else.
    assert.deepEqual(items, notes.map((n) => ({ types: ['paragraph', 'text'], text: n.replace('\u202e', '\\u{202e}') })));
    const html = await renderHtml(input);
    assert.ok(html.includes('<li>&lt;b&gt;x&lt;/b&gt; &amp; `y` *z* _w_ [l](javascript:x) ![i](i.png) ~~s~~ \\ \\u{202e}</li>'));
    const section = /<section id="notes" aria-labelledby="notes-title">\n<h2 id="notes-title">Notes \(13\)<\/h2>\n<ul>\n([^]*?)\n<\/ul>\n<\/section>/.exec(html)?.[1];
    assert.equal(section?.split('\n').filter((l) => /^<li>[^<]*<\/li>$/.test(l)).length, notes.length, section);
  });
});

describe('the notes a review panel takes from a packet (untrusted input)', () => {
  it('keeps strings only, drops empty ones, and caps how many and how long', () => {
    assert.equal(packetNotes(null), undefined);
    assert.equal(packetNotes({ notes: 'one' }), undefined);
    assert.equal(packetNotes({ notes: [] }), undefined);
    assert.equal(packetNotes({ notes: [1, {}, null, ''] }), undefined);
    assert.deepEqual(packetNotes({ notes: ['a', 2, 'b'] }), ['a', 'b']);
    const many = packetNotes({ notes: Array.from({ length: 500 }, (_, i) => `n${i}`) })!;
    assert.deepEqual([many.length, many[0], many[199]], [200, 'n0', 'n199']);
    assert.deepEqual(packetNotes({ notes: ['x'.repeat(5000)] }), [`${'x'.repeat(2000)}…`]);
  });
});
