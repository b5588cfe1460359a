// The `specgate` command. Parses arguments, dispatches to one module per command, and
// owns the exit-code contract: 0 ok, 1 findings / not approved, 2 usage or input error
// (one line on stderr starting `specgate: `, never a stack trace).
import { Argument, Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/model';
import { safeText } from '../core/render/text';
import { VERSION } from '../core/version';
import { runSpecs } from './commands/specs';
import { runCheck } from './commands/check';
import { runBundle } from './commands/bundle';
import { runApprove } from './commands/approve';
import { runVerify } from './commands/verify';
import { runHook } from './commands/hook';
import type { ChangeOptions } from './commands/options';
import { cacheWritten } from '../node/changeset';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/**
 * A parser that refuses an empty or blank value: `--out "$DIR"` with DIR unset must not
 * quietly mean the current folder (a path), or no value at all.
 */
function nonBlank(name: string, what: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new UsageError(`${name} is empty; pass ${what}`);
    // `--spec --format json`: commander takes the next option for the value, and then says
    // only that `json` is an argument too many.
    if (/^--[a-z][a-z-]*$/.test(value)) throw new UsageError(`${name} needs a value, but the next word is the option ${value}; pass ${what}`);
    return value;
  };
}

const cwdOption = (cmd: Command): Command =>
  cmd.addOption(
    new Option('--cwd <dir>', 'any folder inside the repository')
      .argParser(nonBlank('--cwd', 'a folder inside the repository, or leave --cwd out for the current folder'))
      .default(process.cwd(), 'the current folder'),
  );

function changeOptions(cmd: Command): Command {
  return cwdOption(cmd)
    .option(
      '--spec <id>',
      'spec folder or file (a path from the repository root or the current folder, or a file in its folder), or its unique name (specgate specs lists them); default: the spec whose folder this runs in, else the only spec, else the one the branch name names (on a detached HEAD, the branch being rebased, else the branch CI names)',
      nonBlank('--spec', 'a spec id (specgate specs lists them)'),
    )
    .option('--base <ref>', 'compare from the merge base of REF and HEAD to the working tree (default: uncommitted work against HEAD)', nonBlank('--base', 'a branch, tag or commit'))
    .option('--staged', 'compare the index with HEAD (what a commit would take); the spec and config are read from the index too');
}

function toChangeOptions(o: { cwd: string; spec?: string; base?: string; staged?: boolean }): ChangeOptions {
  if (o.base !== undefined && o.staged) throw new UsageError('use either --base or --staged, not both');
  return { cwd: o.cwd, spec: o.spec, base: o.base, staged: !!o.staged };
}

/** A commander error message as one line: its suggestion ("(Did you mean --format?)") joined on. */
export function oneLineError(message: string): string {
  return message
    .replace(/^error: /, '')
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\(Did you mean /, '(did you mean ');
}

/**
 * A commander usage error as the contract's line: one line that says what to do. Its
 * suggestion ("did you mean --format?") or its list of allowed values already does; any
 * other ("unknown option '--bogus'", "missing required argument 'path'") names the help to read.
 */
export function usageLine(message: string, help: string): string {
  const line = oneLineError(message);
  if (/\(did you mean |Allowed choices are /.test(line)) return line;
  return `${line.replace(/\.$/, '')}; ${help}`;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('specgate')
    .description('Spec-driven change review: link changes to the spec, flag what falls outside it, gate commits on a signed review.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // Usage errors follow the contract: one line starting `specgate: ` (commander puts its
      // "(Did you mean --format?)" on a line of its own).
      outputError: (s, write) => write(`specgate: ${usageLine(s, 'specgate --help lists the commands')}\n`),
    })
    .addHelpText(
      'after',
      [
        '',
        'Exit codes:',
        '  0        done; check: no finding at or above --fail-on; verify: approved',
        '  1        check: findings at or above --fail-on; verify: not approved (one line why)',
        '  2        usage or input error: one line on stderr starting "specgate: "',
        '  130/143  stopped by Ctrl-C (SIGINT) or SIGTERM: one line; bundle leaves nothing written',
        '  70       internal error (a bug in SpecGate): "specgate: internal error:" and a stack trace',
        '',
        'Examples:',
        '  specgate check --base refs/remotes/origin/main --format sarif > specgate.sarif',
        '  specgate bundle --staged',
        '  specgate approve .specgate/reviews/<bundle folder> --key ~/.ssh/id_ed25519',
        '  specgate verify --base refs/remotes/origin/main',
        '  specgate hook install',
      ].join('\n'),
    );

  cwdOption(program.command('specs'))
    .description('list the specs in the repository (outside one, under the current folder): id, layout, counts and scope')
    .option('--json', 'print the list as JSON')
    .action(async (o) => setExit(await runSpecs({ cwd: o.cwd, json: !!o.json })));

  changeOptions(program.command('check'))
    .description('analyse the change against the spec and report findings')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'none']).default('error'))
    .option('--no-cache', "neither read nor write the change cache in the repository's git folder (or SPECGATE_NO_CACHE=1)")
    .action(async (o) => setExit(await runCheck({ ...toChangeOptions(o), format: o.format, failOn: o.failOn, cache: o.cache })));

  changeOptions(program.command('bundle'))
    .description('write a review bundle for the change and print its folder')
    .option('--out <dir>', 'folder to write the bundle under (default .specgate/reviews/; elsewhere in the work tree only a git-ignored one)', nonBlank('--out', 'a folder to write the bundle under, or leave --out out for .specgate/reviews/'))
    .action(async (o) => setExit(await runBundle({ ...toChangeOptions(o), out: o.out })));

  cwdOption(program.command('approve'))
    .description('sign an approval (or rejection) of a review bundle with an SSH key, into .specgate/approvals/')
    .argument('<path>', 'bundle folder or its packet.json', nonBlank('the bundle path', 'the bundle folder or its packet.json'))
    .option(
      '--key <file>',
      "SSH private key to sign with (a .pub or -cert.pub works with the private key beside it or in ssh-agent); default: git's user.signingkey when gpg.format is ssh",
      nonBlank('--key', 'your SSH private key file, or leave --key out for git\'s user.signingkey'),
    )
    .option('--reject', 'record a rejection instead of an approval')
    .option('--comment <text>', 'comment stored in the record (up to 4000 characters)')
    .option('--force', "replace another reviewer's record of this change (there is one record per change; without --force approve refuses and names it)")
    .addHelpText(
      'after',
      [
        '',
        'A change has one record, .specgate/approvals/<digest prefix>.json, and a new decision replaces it.',
        "Another reviewer's record (signed with another key) is replaced only with --force; approve then",
        'says on stderr whose approval or rejection it replaced. Changing your own decision needs no',
        '--force ("replaced your earlier rejection of this change"); a record there that verify could not',
        "take (unsigned, its signature not matching, another change's record) is replaced, and approve says so.",
      ].join('\n'),
    )
    .action(async (path: string, o) =>
      setExit(await runApprove({ path, cwd: o.cwd, key: o.key, reject: !!o.reject, comment: o.comment, force: !!o.force })),
    );

  changeOptions(program.command('verify'))
    .description('exit 0 only if a trusted reviewer approved exactly this change')
    .action(async (o) => setExit(await runVerify(toChangeOptions(o))));

  cwdOption(program.command('hook'))
    .summary('install or uninstall the pre-commit gate')
    .description(
      'install or uninstall the pre-commit gate; --force moves a hook SpecGate did not write, or its own with edits of yours, ' +
        'to pre-commit.specgate-backup (then -2, -3, …), and uninstall puts back the newest backup, leaving older ones as they are; ' +
        "uninstall --force removes SpecGate's hook with edits of yours after keeping it as pre-commit.specgate-edited; install writes only into " +
        "this repository's own hooks folder, never into a core.hooksPath that other repositories use too (one set in the " +
        'global or system config, or one outside the repository), nor into the .husky/_ folder husky writes again on every npm install',
    )
    .addArgument(new Argument('<action>', 'install or uninstall').choices(['install', 'uninstall']))
    .option(
      '--force',
      'install: replace a pre-commit hook SpecGate did not write (kept as pre-commit.specgate-backup); uninstall never removes one. ' +
        "SpecGate's own hook with edits of yours: install replaces it (kept as a backup), uninstall removes it (kept as pre-commit.specgate-edited)",
    )
    .action(async (action: 'install' | 'uninstall', o) => setExit(await runHook({ action, cwd: o.cwd, force: !!o.force })));

  // A command's own usage errors name its help.
  for (const cmd of program.commands) {
    const help = `specgate ${cmd.name()} --help lists what it takes`;
    cmd.configureOutput({ outputError: (s, write) => write(`specgate: ${usageLine(s, help)}\n`) });
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    // Commander answers no command at all with the whole help on stderr; a usage error is one line.
    if (argv.length === 0) {
      const names = program.commands.map((c) => c.name());
      throw new UsageError(`name a command: ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}; specgate --help says what each does`);
    }
    // Commander answers `help <unknown>` with the whole help on stdout and exit 2, saying nothing of the name.
    if (argv[0] === 'help' && argv[1] !== undefined && !program.commands.some((c) => c.name() === argv[1])) {
      throw new UsageError(`unknown command '${argv[1]}'; specgate --help lists the commands`);
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; commander already printed its message for usage errors.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`specgate: ${oneLine(err.message)}\n`);
      return EXIT_USAGE;
    }
    const e = err as NodeJS.ErrnoException;
    // The reader went away (`specgate check | head`): nothing more to say, and no error to report.
    if (e?.code === 'EPIPE') return code;
    if (e && typeof e.code === 'string' && typeof e.message === 'string' && /^E[A-Z]+$/.test(e.code)) {
      // File system errors from bad input (missing path, permissions): one line, no stack.
      process.stderr.write(`specgate: ${oneLine(e.message)}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`specgate: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 70;
  }
}

/**
 * A message for stderr: repository text in it (spec folder names, config keys) written by
 * whoever wrote the repository is shown, not obeyed: control characters, terminal escape
 * sequences and line breaks come out escaped, so the message stays one line.
 */
function oneLine(message: string): string {
  return safeText(message);
}

if (require.main === module) {
  // A closed pipe surfaces as an 'error' event on stdout, outside any await: ignore it, so
  // the command still ends with its own exit code and no message.
  // Any other failure to write it (a full disk, an I/O error) loses the output: say so in
  // one line and exit 2, never 0 (nothing written) or 1 (which would read as findings).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    process.stderr.write(`specgate: could not write the output: ${oneLine(err.message)}\n`);
    process.exit(EXIT_USAGE);
  });
  // Node ends a process whose event loop has nothing left to wait for with exit code 0, even
  // while a promise of the command is still pending (one waiting on an event that will never
  // come). For `verify`, 0 is "approved": a command that did not finish says so and exits 70.
  let finished = false;
  process.on('beforeExit', () => {
    if (finished) return;
    finished = true;
    process.stderr.write('specgate: internal error: the command stopped before it finished (nothing was left to wait for); no result was given\n');
    process.exitCode = 70;
  });
  main(process.argv.slice(2))
    .then(async (code) => {
      finished = true;
      process.exitCode = code;
      // Once the cache is written and stdout/stderr hold nothing unwritten, exit at once
      // rather than wait for the heap to be torn down (a tenth of a short check).
      await cacheWritten();
      // A write to stdout that failed reports it on the next tick (see the handler above).
      await new Promise((resolve) => setImmediate(resolve));
      if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
    })
    .catch(() => undefined);
}
