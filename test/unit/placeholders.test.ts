// A task ticked done whose linked files hold no work (SG302): a change of comments alone, a
// new file of comments, and placeholders left where code should be (`throw new Error('Not
// implemented')`, `todo!()`, `panic("unimplemented")`). The verdict is the same from git's
// hunks on a first look, from the change cache on a re-check, staged, for an untracked file,
// and for an unsaved buffer.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PatchParser } from '../../src/core/diffparse';
import { ADDED_LINE_WORDS, linesWork, sectionWork, textWork } from '../../src/core/placeholders';
import type { FileChange, Report } from '../../src/core/model';
import { analyzeRepository } from '../../src/node/engine';
import { overlayChange } from '../../src/vscode/model/overlay';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const lines = (...ls: string[]) => ls.join('\n') + '\n';
/** The verdict for a new file of these lines. */
const fresh = (path: string, ...ls: string[]) => textWork(path, lines(...ls));
/** The verdict for `before` edited into `after` (line lists), hunks from a line-by-line match of the two. */
function edited(path: string, before: string[], after: string[]) {
  // One hunk around whatever differs: enough for these short texts.
  let top = 0;
  while (top < before.length && top < after.length && before[top] === after[top]) top++;
  let tail = 0;
  while (tail < before.length - top && tail < after.length - top && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const hunk = { oldStart: top + 1, oldLines: before.length - top - tail, newStart: top + 1, newLines: after.length - top - tail };
  return linesWork(path, before, after, [hunk]);
}

describe('placeholders and comment-only changes (core/placeholders.ts)', () => {
  it('finds a change of comments alone, in each comment style; code with a comment after it is code', () => {
    const code = ['export function f(): number {', '  return 1;', '}'];
    assert.deepEqual(edited('src/a.ts', code, ['// TODO: add retries here', ...code]), { commentOnly: true });
    assert.deepEqual(edited('src/a.ts', code, ['/**', ' * Retries with backoff.', ' */', ...code]), { commentOnly: true });
    assert.deepEqual(edited('src/a.ts', code, ['/* retries */ const n = 3;', ...code]), {});
    assert.deepEqual(edited('src/a.ts', code, ['export function f(): number { // retries', '  return 1;', '}']), {});
    assert.deepEqual(edited('app/jobs.py', ['def run():', '    pass'], ['def run():', '    # TODO: retry', '    pass']), { commentOnly: true });
    assert.deepEqual(edited('db/q.sql', ['SELECT 1;'], ['-- later: an index', 'SELECT 1;']), { commentOnly: true });
    assert.deepEqual(edited('web/a.vue', ['<div/>'], ['<!-- retry button -->', '<div/>']), { commentOnly: true });
    assert.deepEqual(edited('main.tf', ['resource "x" "y" {}'], ['# TODO', '// note', 'resource "x" "y" {}']), { commentOnly: true });
    // Code taken out for a comment is a change of code; a Rust attribute or a Ruby interpolation is not a comment.
    assert.deepEqual(edited('src/a.ts', code, ['export function f(): number {', '  // return 1;', '}']), {});
    assert.deepEqual(edited('src/lib.rs', ['fn f() {}'], ['#[inline]', 'fn f() {}']), {});
    // Blank lines alone are whitespace (SG202's business), not comments.
    assert.deepEqual(edited('src/a.ts', code, ['', ...code]), {});
    // Not code: prose and data have no comment to judge.
    assert.deepEqual(edited('docs/a.md', ['x'], ['<!-- y -->', 'x']), {});
    assert.deepEqual(fresh('src/new.ts', '// Retry helpers.', '// Filled in later.'), { commentOnly: true });
    assert.deepEqual(fresh('src/new.ts', '// Retry helpers.', 'export const n = 3;'), {});
  });

  it('finds the placeholders tools and people leave, with their new lines, and not what only looks like one', () => {
    const stub = (path: string, ...ls: string[]) => fresh(path, ...ls).placeholders?.map((p) => `${p.line} ${p.text}`);
    assert.deepEqual(stub('src/retry.ts', 'export function retry(): void {', '  throw new Error("Method not implemented.");', '}'), ['2 throw new Error("Method not implemented.");']);
    assert.deepEqual(stub('src/retry.ts', 'export const f = () => {', "  throw Error('TODO');", '};'), ["2 throw Error('TODO');"]);
    assert.deepEqual(stub('src/retry.go', 'func Retry() error {', '\tpanic("unimplemented")', '}'), ['2 panic("unimplemented")']);
    assert.deepEqual(stub('src/lib.rs', 'pub fn retry() {', '    todo!()', '}', 'pub fn wait() {', '    unimplemented!("later")', '}'), ['2 todo!()', '5 unimplemented!("later")']);
    assert.deepEqual(stub('src/Retry.java', 'void retry() {', '  throw new UnsupportedOperationException("Not supported yet.");', '}'), ['2 throw new UnsupportedOperationException("Not supported yet.");']);
    assert.deepEqual(stub('src/Retry.cs', 'void Retry() {', '  throw new NotImplementedException();', '}'), ['2 throw new NotImplementedException();']);
    assert.deepEqual(stub('src/Retry.kt', 'fun retry(): Int = TODO()'), ['1 fun retry(): Int = TODO()']);
    assert.deepEqual(stub('app/retry.py', 'def retry():', '    raise NotImplementedError'), ['2 raise NotImplementedError']);
    assert.deepEqual(stub('src/Retry.swift', 'func retry() {', '  fatalError("not implemented")', '}'), ['2 fatalError("not implemented")']);
    // The first three only.
    assert.deepEqual(stub('src/lib.rs', 'fn a() { todo!() }', 'fn b() { todo!() }', 'fn c() { todo!() }', 'fn d() { todo!() }'), ['1 fn a() { todo!() }', '2 fn b() { todo!() }', '3 fn c() { todo!() }']);
    // An abstract method's body, an exception that is an API's answer, Python's NotImplemented
    // constant, a comment, a test's fake, and prose: none of them.
    assert.equal(stub('app/base.py', 'class Base:', '    @abstractmethod', '    def run(self):', '        raise NotImplementedError'), undefined);
    assert.equal(stub('src/List.java', 'public void add(int x) {', '  throw new UnsupportedOperationException();', '}'), undefined);
    assert.equal(stub('app/money.py', 'def __eq__(self, other):', '    return NotImplemented'), undefined);
    assert.equal(stub('src/a.ts', '// throw new Error("not implemented")', 'export const a = 1;'), undefined);
    assert.equal(stub('src/a.test.ts', 'it("x", () => { throw new Error("not implemented"); });'), undefined);
    assert.equal(stub('docs/a.md', 'throw new Error("not implemented")'), undefined);
    // A to-do app's words are not placeholders; a message that says TODO is, and so is Kotlin's TODO() however it is called.
    assert.equal(stub('src/todos.ts', 'export function add(t: string) {', '  if (!t) throw new Error("todo not found");', '  return todo("buy milk");', '}'), undefined);
    assert.equal(stub('src/api.ts', 'export function stream() {', '  throw new Error("Streaming is not supported yet");', '}'), undefined);
    assert.deepEqual(stub('src/refund.ts', 'export function refund() {', '  throw new Error("TODO: refunds");', '}'), ['2 throw new Error("TODO: refunds");']);
    assert.deepEqual(stub('src/Refund.kt', 'fun refund(): Int {', '    return TODO("refunds")', '}'), ['2 return TODO("refunds")']);
    // A message that says TODO, "to do" or "not supported yet" in any case (the search of the
    // patch lets each through); a comment that says so is not one, nor a to-do app's `Todo` type,
    // `TodoItem` or a `Todo(…)` call (Kotlin's is in capitals).
    assert.deepEqual(stub('src/refund.ts', 'export function refund() {', '  throw new Error("ToDo: refunds");', '}'), ['2 throw new Error("ToDo: refunds");']);
    assert.deepEqual(stub('src/refund.go', 'func Refund() {', '\tpanic("To do")', '}'), ['2 panic("To do")']);
    assert.deepEqual(stub('src/Refund.java', 'void refund() {', '  throw new UnsupportedOperationException("Not Supported Yet");', '}'), ['2 throw new UnsupportedOperationException("Not Supported Yet");']);
    assert.equal(stub('src/refund.ts', 'export function refund() {', '  // Todo: implement', '  return 0;', '}'), undefined);
    assert.equal(stub('src/todos.ts', 'export type Todo = { id: number };', 'export class TodoItem {}', 'export const t = new Todo("a");', 'export const u = Todo();', 'const what = "Things to do";'), undefined);
    // Only added lines count: one taken out is work done.
    assert.deepEqual(edited('src/a.ts', ['export function f() {', '  throw new Error("not implemented");', '}'], ['export function f() {', '  return 1;', '}']), {});
  });
});

describe('silencers moved within a file (core/placeholders.ts linesWork)', () => {
  it('counts a silencer removed in a hunk after code changed, as git\'s hunk bodies do: one moved is not new', () => {
    const before = ['export const a = 1;', 'export function f() {', '  // @ts-ignore', '  return g();', '}', 'export function h() {', '  return k();', '}'];
    const after = ['export const a = 2;', 'export function f() {', '  return g();', '}', 'export function h() {', '  // @ts-ignore', '  return k();', '}'];
    const hunks = [
      { oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 },
      { oldStart: 3, oldLines: 1, newStart: 2, newLines: 0 },
      { oldStart: 6, oldLines: 0, newStart: 6, newLines: 1 },
    ];
    assert.deepEqual(linesWork('src/a.ts', before, after, hunks), {});
    // Not moved but added: reported.
    assert.deepEqual(linesWork('src/a.ts', before.filter((l) => !l.includes('@ts-ignore')), after, [hunks[0]!, { oldStart: 5, oldLines: 0, newStart: 6, newLines: 1 }]).silenced?.map((x) => x.line), [6]);
  });
});

describe('passwords in URLs on added lines (core/placeholders.ts, dangers.ts passwordUrl)', () => {
  const kinds = (path: string, ...ls: string[]) => fresh(path, ...ls).secrets?.map((x) => `${x.line} ${x.kind}`);
  // SECRETS' kinds, then the password in a URL: the first kind past them.
  const URL_KIND = 9;

  it('finds one to a host by its full name in code, not a placeholder, a development default, an example host, or prose', () => {
    assert.deepEqual(kinds('src/db.ts', 'export const url = "postgres://admin:s3cr3tPass@db.internal:5432/app";'), [`1 ${URL_KIND}`]);
    assert.deepEqual(kinds('app/db.py', 'URL = "mongodb+srv://app:Zq8vLp2x@cluster0.ab1cd.mongodb.net/app"'), [`1 ${URL_KIND}`]);
    assert.deepEqual(kinds('src/Hook.java', 'String u = "https://deploy:9f8e7d6c@ci.corp.example.org/hook";'), undefined, 'an example host');
    assert.deepEqual(
      kinds(
        'src/db.ts',
        'const a = "postgres://user:password@db.internal/app";',
        'const b = "postgres://app:<password>@db.internal/app";',
        'const c = `postgres://app:${DB_PASS}@db.internal/app`;',
        'const d = "postgres://app:{password}@db.internal/app";',
        'const e = "postgres://app:xxx@db.internal/app";',
        'const f = "postgres://app:changeme@db.internal/app";',
        'const g = "postgres://admin:s3cr3tPass@localhost:5432/app";',
        'const h = "postgres://postgres:postgres@db:5432/app";',
        'const i = "https://user:token@host/";',
        'const j = "https://github.com/org/repo";',
        'const k = fmt.Sprintf("postgres://%s:%s@%s/app", u, p, h);',
        // A development default to a full host name: the user's own name, or a stock one.
        'const l = "amqp://guest:guest@rabbitmq.messaging.corp.net:5672/";',
        'const m = "amqp://app:App@queue.corp.net/";',
        'const n = "amqp://worker:guest@queue.corp.net/";',
      ),
      undefined,
    );
    // Prose explains a setup with a connection string whose password is made up.
    assert.deepEqual(kinds('README.md', 'Run with `DATABASE_URL=postgres://admin:s3cr3tPass@db.internal:5432/app`.'), undefined);
    assert.deepEqual(kinds('docs/setup.rst', 'postgres://admin:s3cr3tPass@db.internal:5432/app'), undefined);
  });

  it("flags a patch section only for a URL's user and password, not for any URL", () => {
    const section = (added: string) => {
      const p = new PatchParser({ keepBodies: true, watch: ADDED_LINE_WORDS });
      p.push(Buffer.from(['diff --git a/src/db.ts b/src/db.ts', 'index 1111111..2222222 100644', '--- a/src/db.ts', '+++ b/src/db.ts', '@@ -1 +1 @@', '-export const a = 1;', `+${added}`, ''].join('\n')));
      const s = p.end()[0]!;
      return { watched: s.watched, ...sectionWork(s, 'src/db.ts') };
    };
    assert.deepEqual(section('export const url = "postgres://admin:s3cr3tPass@db.internal:5432/app";'), { watched: true, secrets: [{ line: 1, kind: URL_KIND }] });
    assert.deepEqual(section('export const url = "https://github.com/org/repo#readme";'), { watched: false });
    assert.deepEqual(section('export const url = "ssh://git@github.com/org/repo";'), { watched: false });
  });
});

describe('placeholders from a patch (PatchParser watch)', () => {
  const patch = [
    'diff --git a/src/a.go b/src/a.go',
    'index 1111111..2222222 100644',
    '--- a/src/a.go',
    '+++ b/src/a.go',
    '@@ -3 +3,2 @@ func A() {',
    '-\treturn 1',
    '+\t// TODO: later',
    '+\tpanic("unimplemented")',
    'diff --git a/src/b.go b/src/b.go',
    'index 3333333..4444444 100644',
    '--- a/src/b.go',
    '+++ b/src/b.go',
    '@@ -1 +1 @@ func TODO() {',
    '-// old note',
    '+// new note',
    '',
  ].join('\n');
  /** Each section's watched flag and verdict, the patch pushed in chunks of `size` bytes. */
  const read = (size: number, watch: boolean) => {
    const p = new PatchParser({ keepBodies: true, ...(watch ? { watch: ADDED_LINE_WORDS } : {}) });
    const bytes = Buffer.from(patch);
    for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
    return p.end().map((s) => ({ watched: s.watched, ...sectionWork(s, /b\/(\S+)$/.exec(s.header)![1]!) }));
  };

  it('flags the sections whose bodies hold a placeholder word, however the chunks cut it; hunk headers do not count', () => {
    const expected = [
      { watched: true, placeholders: [{ line: 4, text: 'panic("unimplemented")' }] },
      { watched: false, commentOnly: true },
    ];
    for (const size of [1, 3, 7, 64, 4096]) assert.deepEqual(read(size, true), expected, `chunks of ${size}`);
    // Without a watch, the section's bytes are searched instead: the same verdicts.
    assert.deepEqual(read(5, false), expected.map(({ watched: _, ...v }) => ({ watched: undefined, ...v })));
  });
});

const SPEC = lines(
  '---',
  'scope: ["src/**", "app/**"]',
  '---',
  '# Retries',
  '',
  '## Tasks',
  '- [ ] 1. Add retries to `src/retry.ts`',
  '- [ ] 2. Add backoff in `src/backoff.go`',
  '- [ ] 3. Write the job runner in `app/jobs.py`',
  '- [ ] 4. Add `src/limits.ts`',
);
const TICKED = SPEC.replace(/- \[ \] ([1-4])\./g, '- [x] $1.');
const RETRY = lines('export function retry(n: number): number {', '  return n;', '}');
const BACKOFF = lines('package src', '', 'func Backoff(n int) int {', '\treturn n', '}');
const JOBS = lines('def run():', '    return 1');

/** SG302's findings, one line each: `path:line task message`. */
const sg302 = (r: Report) => r.findings.filter((f) => f.rule === 'SG302').map((f) => `${f.path}:${f.startLine} ${f.task} ${f.message}`);

describe('SG302: tasks ticked done over comments and placeholders', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': SPEC, 'src/retry.ts': RETRY, 'src/backoff.go': BACKOFF, 'app/jobs.py': JOBS });
  });
  afterEach(() => repo.cleanup());

  const after: Record<string, string> = {
    // Task 1: a comment where the work should be.
    'src/retry.ts': lines('export function retry(n: number): number {', '  // TODO: retry with backoff', '  return n;', '}'),
    // Task 2: the function is there, its body a placeholder.
    'src/backoff.go': lines('package src', '', 'func Backoff(n int) int {', '\treturn n', '}', '', 'func Jitter(n int) int {', '\tpanic("unimplemented")', '}'),
    // Task 3: real work.
    'app/jobs.py': lines('def run():', '    return 2'),
    // Task 4: a new file of comments, untracked.
    'src/limits.ts': lines('// Limits for retries.', '// To be written.'),
  };
  const expected = [
    'docs/spec.md:7 1 Task 1 is ticked done, but the files linked to it hold no work: `src/retry.ts` changes only comments.',
    'docs/spec.md:10 4 Task 4 is ticked done, but the files linked to it hold no work: `src/limits.ts` holds only comments.',
    'src/backoff.go:8 2 Task 2 is ticked done, but this line leaves a placeholder (`panic("unimplemented")`) where the work should be.',
  ];

  it('reports each, the same on a first look, from the change cache, and staged', async () => {
    await repo.write('docs/spec.md', TICKED);
    for (const [file, text] of Object.entries(after)) await repo.write(file, text);
    const first = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.deepEqual(sg302(first.report), expected);
    assert.equal(first.changeSet.fromCache, 0);
    const again = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.ok((again.changeSet.fromCache ?? 0) >= 3, 'the re-check answers from the cache');
    assert.deepEqual(sg302(again.report), expected);
    assert.deepEqual(again.report.digest, first.report.digest);
    await repo.git('add', '-A');
    assert.deepEqual(sg302((await analyzeRepository({ cwd: repo.root, staged: true })).report), expected);
    // A task not ticked in this change leaves its placeholder to the work in progress.
    await repo.write('docs/spec.md', TICKED.replace('- [x] 2.', '- [ ] 2.'));
    assert.deepEqual(sg302((await analyzeRepository({ cwd: repo.root })).report), [expected[0], expected[1]]);
  });

  it('says nothing once the work is there: code beside the comment, the placeholder filled in', async () => {
    await repo.write('docs/spec.md', TICKED.replace('- [x] 4.', '- [ ] 4.'));
    await repo.write('src/retry.ts', lines('export function retry(n: number): number {', '  // retry with backoff', '  return n * 2;', '}'));
    await repo.write('src/backoff.go', after['src/backoff.go']!.replace('panic("unimplemented")', 'return n / 2'));
    await repo.write('app/jobs.py', after['app/jobs.py']!);
    assert.deepEqual(sg302((await analyzeRepository({ cwd: repo.root })).report), []);
  });

  it('judges an unsaved buffer as git judges the saved file', async () => {
    const live: Record<string, Pick<FileChange, 'commentOnly' | 'placeholders'>> = {};
    for (const [file, text] of Object.entries(after)) {
      const baseText = file === 'src/limits.ts' ? null : await readFile(join(repo.root, file), 'utf8');
      const c = overlayChange({ path: file, baseText, text }).change!;
      live[file] = { ...(c.commentOnly ? { commentOnly: c.commentOnly } : {}), ...(c.placeholders ? { placeholders: c.placeholders } : {}) };
      await repo.write(file, text);
    }
    const saved = (await analyzeRepository({ cwd: repo.root })).changeSet.changes;
    const fromGit = Object.fromEntries(
      Object.keys(after).map((f) => {
        const c = saved.find((x) => x.path === f)!;
        return [f, { ...(c.commentOnly ? { commentOnly: c.commentOnly } : {}), ...(c.placeholders ? { placeholders: c.placeholders } : {}) }];
      }),
    );
    assert.deepEqual(live, fromGit);
    assert.deepEqual(fromGit, {
      'src/retry.ts': { commentOnly: true },
      'src/backoff.go': { placeholders: [{ line: 8, text: 'panic("unimplemented")' }] },
      'app/jobs.py': {},
      'src/limits.ts': { commentOnly: true },
    });
  });
});

describe('SG210: secrets in files whose text is not otherwise read', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  // Built from parts, so that this file holds no token a scanner would take for one.
  const awsKey = ['AKIA', 'QX7ZR2NW', 'K4TB9PLM'].join('');
  const ghToken = ['ghp', '_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');
  const spec = lines('---', 'scope: ["src/**", "docs/**"]', '---', '# Client', '', '## Tasks', '- [ ] 1. Call the API from `src/client.ts`');
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': spec, 'src/client.ts': lines('export const region = "eu-west-1";'), 'docs/setup.md': lines('# Setup') });
  });
  afterEach(() => repo.cleanup());

  /** SG210's dangers, one line each. */
  const sg210 = (r: Report) => r.findings.filter((f) => f.rule === 'SG210').map((f) => `${f.severity} ${f.path}:${f.startLine} ${f.message}`);

  it('reports a key pasted into source code or docs at its line, never quoting it; the same from the cache, staged and untracked', async () => {
    await repo.write('src/client.ts', lines('export const region = "eu-west-1";', `const accessKeyId = "${awsKey}";`));
    await repo.write('docs/setup.md', lines('# Setup', '', `Use the token \`${ghToken}\` to try it.`));
    await repo.write('src/extra.ts', lines('// the fallback', `export const token = '${ghToken}';`));
    const first = await analyzeRepository({ cwd: repo.root, useCache: true });
    const found = sg210(first.report);
    assert.deepEqual(found.map((f) => f.replace(/ \(not quoted here\).*$/, '')), [
      'error src/client.ts:2 High blast radius in this modified file: it writes what looks like an AWS access key into the repository',
      'error src/extra.ts:1 High blast radius in this added file: it writes what looks like a GitHub token into the repository',
      // Docs are where a made-up key most often is: a warning (as in tests).
      'warning docs/setup.md:2 High blast radius in this modified file: it writes what looks like a GitHub token into the repository',
    ]);
    assert.ok(!JSON.stringify(first.report).includes(awsKey) && !JSON.stringify(first.report).includes(ghToken), 'the report never quotes a secret');
    // Typed into an editor, unsaved: the same verdict.
    const live = overlayChange({ path: 'src/client.ts', baseText: lines('export const region = "eu-west-1";'), text: lines('export const region = "eu-west-1";', `const accessKeyId = "${awsKey}";`) }).change!;
    assert.deepEqual(live.secrets, first.changeSet.changes.find((c) => c.path === 'src/client.ts')!.secrets);
    assert.deepEqual(live.secrets?.map((x) => x.line), [2]);
    const again = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.ok((again.changeSet.fromCache ?? 0) >= 2);
    assert.deepEqual(sg210(again.report), found);
    await repo.git('add', '-A');
    assert.deepEqual(sg210((await analyzeRepository({ cwd: repo.root, staged: true })).report), found);
  });

  it('reports a password in a URL in source code (a warning in test data), not in prose, never quoting it; the same from the cache and staged', async () => {
    const password = ['s3cr3t', 'Pass'].join('');
    const url = `postgres://admin:${password}@db.internal:5432/app`;
    await repo.write('src/client.ts', lines('export const region = "eu-west-1";', `export const db = "${url}";`));
    await repo.write('src/fixtures/db.ts', lines(`export const db = "${url}";`));
    await repo.write('docs/setup.md', lines('# Setup', '', `Point \`DATABASE_URL\` at \`${url}\`.`));
    const first = await analyzeRepository({ cwd: repo.root, useCache: true });
    const found = sg210(first.report);
    assert.deepEqual(found, [
      'error src/client.ts:2 High blast radius in this modified file: it writes what looks like a password in a URL into the repository (not quoted here): a secret committed stays in its history, so revoke it rather than only delete it (line 2). Confirm it before approving.',
      'warning src/fixtures/db.ts:1 High blast radius in this added file: it writes what looks like a password in a URL into the repository (not quoted here): a secret committed stays in its history, so revoke it rather than only delete it (line 1). Confirm it before approving.',
    ]);
    assert.ok(!JSON.stringify(first.report).includes(password), 'the report never quotes the password');
    const again = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.ok((again.changeSet.fromCache ?? 0) >= 2);
    assert.deepEqual(sg210(again.report), found);
    // A cache of the last schema, whose verdicts knew no password in a URL, is not taken at its word.
    const cacheFile = join(repo.root, (await repo.git('rev-parse', '--git-path', 'specgate-change-cache.json')).trim());
    const [head, ...bodies] = (await readFile(cacheFile, 'utf8')).trimEnd().split('\n');
    const stale = [{ ...JSON.parse(head!), schema: 'specgate.cache/9' }, ...bodies.map((b) => ({ ...JSON.parse(b), stubs: [] }))];
    await writeFile(cacheFile, stale.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const old = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.equal(old.changeSet.fromCache, 0);
    assert.deepEqual(sg210(old.report), found);
    await repo.git('add', '-A');
    assert.deepEqual(sg210((await analyzeRepository({ cwd: repo.root, staged: true })).report), found);
  });

  it('gives a cached verdict only to a path of the kind it was worked out for', async () => {
    // The same edit to the same content in a source file and in a test fixture: a placeholder in
    // one, a test's business in the other (and a fixture's text is not carried, so both could come from the cache).
    const before = lines('export function f(): number {', '  return 1;', '}');
    const after = lines('export function f(): number {', '  throw new Error("not implemented");', '}');
    await repo.write('src/f.ts', before);
    await repo.write('src/fixtures/f.ts', before);
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'f');
    await repo.write('src/f.ts', after);
    await repo.write('src/fixtures/f.ts', after);
    const held = (r: Awaited<ReturnType<typeof analyzeRepository>>) =>
      r.changeSet.changes.filter((c) => c.path.endsWith('f.ts')).map((c) => `${c.path} ${JSON.stringify(c.placeholders ?? [])}`);
    const expected = ['src/f.ts [{"line":2,"text":"throw new Error(\\"not implemented\\");"}]', 'src/fixtures/f.ts []'];
    assert.deepEqual(held(await analyzeRepository({ cwd: repo.root, useCache: true })), expected);
    assert.deepEqual(held(await analyzeRepository({ cwd: repo.root, useCache: true })), expected);
    assert.deepEqual(held(await analyzeRepository({ cwd: repo.root, useCache: true })), expected);
  });
});

describe('SG210: checks silenced in source files whose text is not otherwise read', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  const spec = lines('---', 'scope: ["src/**", "app/**"]', '---', '# API', '', '## Tasks', '- [ ] 1. Call the API from `src/api.ts`');
  const API = lines('import { call } from "./client";', '', 'export function get(): number {', '  return call();', '}');
  const MOVED = lines('export function a(): number {', '  // @ts-ignore', '  return legacy();', '}', '', 'export function b(): number {', '  return 2;', '}');
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': spec, 'src/api.ts': API, 'src/legacy.ts': lines('export const x = 1;'), 'src/moved.ts': MOVED, 'app/jobs.py': lines('def run():', '    return f()') });
  });
  afterEach(() => repo.cleanup());

  /** SG210's findings, one line each. */
  const sg210 = (r: Report) => r.findings.filter((f) => f.rule === 'SG210').map((f) => `${f.severity} ${f.path}:${f.startLine} ${f.message}`);

  it('reports a directive added (a whole file: a warning; a line: a note), not one moved; the same from the cache, staged and unsaved', async () => {
    const after: Record<string, string> = {
      'src/api.ts': lines('import { call } from "./client";', '', 'export function get(): number {', '  // @ts-ignore', '  return call(); // eslint-disable-line', '}'),
      'src/legacy.ts': lines('// @ts-nocheck', 'export const x = 1;'),
      // The same `@ts-ignore`, moved from a() to b(): none new.
      'src/moved.ts': lines('export function a(): number {', '  return legacy();', '}', '', 'export function b(): number {', '  // @ts-ignore', '  return 2;', '}'),
      'app/jobs.py': lines('def run():', '    return f()  # type: ignore'),
      // A comment that only mentions a directive, and one inside a string: no directive.
      'src/notes.ts': lines('// Do not add @ts-ignore here.', 'export const hint = "// @ts-nocheck";'),
    };
    const live: Record<string, unknown> = {};
    for (const [file, text] of Object.entries(after)) {
      const base = file === 'src/notes.ts' ? null : await readFile(join(repo.root, file), 'utf8');
      live[file] = overlayChange({ path: file, baseText: base, text }).change!.silenced;
      await repo.write(file, text);
    }
    const first = await analyzeRepository({ cwd: repo.root, useCache: true });
    const expected = sg210(first.report);
    assert.deepEqual(expected, [
      "warning src/legacy.ts:1 High blast radius in this modified file: it turns off TypeScript's type checks for the whole file (`// @ts-nocheck`) (line 1). Confirm it before approving.",
      'info app/jobs.py:2 Worth a look in this modified file: it silences every type error on its line (`return f()  # type: ignore`) (line 2). Confirm it before approving.',
      "info src/api.ts:4 Worth a look in this modified file: it silences TypeScript's errors on the next line (`// @ts-ignore`) (line 4); it turns off every ESLint rule for a line (`return call(); // eslint-disable-line`) (line 5). Confirm it before approving.",
    ]);
    const saved = first.changeSet.changes;
    assert.deepEqual(live, Object.fromEntries(Object.keys(after).map((f) => [f, saved.find((c) => c.path === f)!.silenced])));
    const again = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.ok((again.changeSet.fromCache ?? 0) >= 4);
    assert.deepEqual(sg210(again.report), expected);
    await repo.git('add', '-A');
    assert.deepEqual(sg210((await analyzeRepository({ cwd: repo.root, staged: true })).report), expected);
  });
});
