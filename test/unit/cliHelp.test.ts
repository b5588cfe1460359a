// `specgate --help` and each command's `--help` (the built CLI) against the README's synopsis:
// the same options per command, the documented defaults, and the exit codes.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliBuilt, runCli } from './helpers/checkCli';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The README's `specgate <command> …` synopsis lines: command → the long options they name. */
function documentedOptions(): Map<string, string[]> {
  const block = /```\n(specgate specs[\s\S]*?)```/.exec(README)?.[1];
  assert.ok(block, 'README has the CLI synopsis block');
  const out = new Map<string, string[]>();
  for (const line of block.split('\n')) {
    const m = /^specgate (\w+)\s(.*)$/.exec(line);
    if (m) out.set(m[1]!, [...m[2]!.matchAll(/--[a-z][a-z-]*/g)].map((x) => x[0]).sort());
  }
  return out;
}

/** The long options a `--help` text lists under Options (without --help itself). */
function helpOptions(help: string): string[] {
  const options = help.split('\nOptions:\n')[1] ?? '';
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((o) => o !== '--help').sort();
}

describe('specgate --help (built CLI)', function () {
  this.timeout(60_000);
  let repo: TestRepo;

  before(async function () {
    if (!cliBuilt()) this.skip();
    repo = await makeRepo({ 'README.md': '# app\n' });
  });
  after(async () => repo?.cleanup());

  it("lists for each command exactly the options the README's synopsis names, and --cwd's default as the current folder", async () => {
    const documented = documentedOptions();
    assert.deepEqual([...documented.keys()].sort(), ['approve', 'bundle', 'check', 'hook', 'specs', 'verify']);
    for (const [command, options] of documented) {
      const r = await runCli(repo, [command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(helpOptions(r.stdout), options, `specgate ${command} --help`);
      // The README says "default: the current folder"; the folder the help was asked in is no default to print.
      assert.match(r.stdout, /--cwd <dir> +any folder inside the repository \(default: the current\s+folder\)/, `specgate ${command} --help`);
      assert.ok(!r.stdout.includes(repo.root), `specgate ${command} --help names the folder it ran in`);
    }
  });

  it('names the exit codes the README documents, and an example of each step', async () => {
    const r = await runCli(repo, ['--help']);
    assert.equal(r.code, 0, r.stderr);
    const after = r.stdout.split('\nExit codes:\n')[1];
    assert.ok(after, r.stdout);
    assert.match(after, /^ {2}0 +done; check: no finding at or above --fail-on; verify: approved$/m);
    assert.match(after, /^ {2}1 +check: findings at or above --fail-on; verify: not approved/m);
    assert.match(after, /^ {2}2 +usage or input error: one line on stderr starting "specgate: "$/m);
    assert.match(after, /^ {2}130\/143 +stopped by Ctrl-C \(SIGINT\) or SIGTERM: one line; bundle leaves nothing written$/m);
    assert.match(after, /^ {2}70 +internal error \(a bug in SpecGate\): "specgate: internal error:" and a stack trace$/m);
    for (const step of ['check', 'bundle', 'approve', 'verify', 'hook install']) assert.match(after, new RegExp(`^ {2}specgate ${step}\\b`, 'm'));
  });

  it('answers help for a command that does not exist in one line, and help for one that does with its help', async () => {
    const unknown = await runCli(repo, ['help', 'chek']);
    assert.deepEqual([unknown.code, unknown.stdout, unknown.stderr], [2, '', "specgate: unknown command 'chek'; specgate --help lists the commands\n"]);
    const known = await runCli(repo, ['help', 'verify']);
    assert.equal(known.code, 0, known.stderr);
    assert.match(known.stdout, /^Usage: specgate verify \[options\]\n/);
  });

  it('answers no command at all with one usage line on stderr and exit 2; --help and help still print the help', async () => {
    const none = await runCli(repo, []);
    assert.deepEqual(
      [none.code, none.stdout, none.stderr],
      [2, '', 'specgate: name a command: specs, check, bundle, approve, verify or hook; specgate --help says what each does\n'],
    );
    const help = await runCli(repo, ['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: specgate \[options\] \[command\]\n[\s\S]*\nExit codes:\n/);
    const word = await runCli(repo, ['help']);
    assert.deepEqual([word.code, word.stdout, word.stderr], [0, help.stdout, '']);
  });

  it("says what --key falls back to, and the comment's limit", async () => {
    const r = await runCli(repo, ['approve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout.replace(/\s+/g, ' ');
    assert.ok(text.includes("default: git's user.signingkey when gpg.format is ssh"), r.stdout);
    assert.ok(text.includes('comment stored in the record (up to 4000 characters)'), r.stdout);
  });

  it("says that another reviewer's record is replaced only with --force", async () => {
    const r = await runCli(repo, ['approve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout.replace(/\s+/g, ' ');
    assert.ok(text.includes("--force replace another reviewer's record of this change"), r.stdout);
    assert.ok(text.includes("Another reviewer's record (signed with another key) is replaced only with --force; approve then says on stderr whose approval or rejection it replaced."), r.stdout);
  });

  it('answers a usage error with one line that names the help to read, unless it already says what to pass', async () => {
    const cases: [string[], string][] = [
      [['bogus'], "specgate: unknown command 'bogus'; specgate --help lists the commands"],
      [['--bogus'], "specgate: unknown option '--bogus'; specgate --help lists the commands"],
      [['check', '--bogus'], "specgate: unknown option '--bogus'; specgate check --help lists what it takes"],
      [['check', '--format'], "specgate: option '--format <format>' argument missing; specgate check --help lists what it takes"],
      [['check', 'extra'], "specgate: too many arguments for 'check'. Expected 0 arguments but got 1; specgate check --help lists what it takes"],
      [['verify', '--format', 'json'], "specgate: unknown option '--format'; specgate verify --help lists what it takes"],
      [['approve'], "specgate: missing required argument 'path'; specgate approve --help lists what it takes"],
      [['hook'], "specgate: missing required argument 'action'; specgate hook --help lists what it takes"],
      [['specs', '--json', 'x'], "specgate: too many arguments for 'specs'. Expected 0 arguments but got 1; specgate specs --help lists what it takes"],
      // A suggestion or the allowed values already say what to pass.
      [['chek'], "specgate: unknown command 'chek' (did you mean check?)"],
      [['check', '--formt', 'json'], "specgate: unknown option '--formt' (did you mean --format?)"],
      [['check', '--format', 'xml'], "specgate: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif."],
      [['hook', 'remove'], "specgate: command-argument value 'remove' is invalid for argument 'action'. Allowed choices are install, uninstall."],
    ];
    for (const [args, line] of cases) {
      const r = await runCli(repo, args);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `${line}\n`], `specgate ${args.join(' ')}`);
    }
  });

  it("says that hook's --force is for install, and that uninstall never removes a hook SpecGate did not write", async () => {
    const r = await runCli(repo, ['hook', '--help']);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout.replace(/\s+/g, ' ');
    assert.ok(
      text.includes('--force install: replace a pre-commit hook SpecGate did not write (kept as pre-commit.specgate-backup); uninstall never removes one'),
      r.stdout,
    );
  });
});
