// The engine speaks the command line's language ("pass --spec", "run specgate bundle
// again"); in the editor the same message names the command or setting that does it.
// Pure (no `vscode` import), so the unit tests read it directly.

const REWRITES: readonly [RegExp, string][] = [
  [/ \(run inside a repository or pass --cwd\)$/, ': SpecGate lists the specs but needs a git repository to analyse changes'],
  [/ \(pass --cwd with a folder inside a git repository\)$/, ' (open a folder inside a git repository)'],
  [/; pass --spec$/, '; choose one with SpecGate: Select Active Spec'],
  // A change with nothing uncommitted: what the editor's analysis does not see either.
  [/; specgate check --staged reviews (it|them)$/, '; specgate check --staged in a terminal reviews $1'],
  [/, which this check of uncommitted work does not review; specgate check --base (\S+) does$/, ', which the analysis of uncommitted work does not review; set specgate.baseRef to $1 to review the branch'],
  // The editor's "current folder" is the workspace folder it analyses.
  [/^the folder this runs in \(/, 'the workspace folder ('],
  [/^no spec given; the current folder is in /, 'no spec given; the workspace folder is in '],
  [/; pass --spec to review the change against another$/, '; choose another with SpecGate: Select Active Spec'],
  [/ \(specgate specs lists them\)(?=;|$)/, ''],
  [/^--spec (.+?) matches (\d+) specs: (.*); pass the full id$/, 'spec $1 matches $2 specs: $3; choose one with SpecGate: Select Active Spec'],
  [/^--base needs a commit on HEAD, and the current branch has none yet; commit first or drop --base$/, 'the setting specgate.baseRef needs a commit on HEAD, and the current branch has none yet; commit first or clear the setting'],
  [/^(unknown revision '.*'): no branch, tag or commit of that name here; .*$/, '$1 (the setting specgate.baseRef): no branch, tag or commit of that name here; check the name, or fetch it first'],
  // Every refusal of a revision (a blob, a tree, `:/text`, an option-like name) names the setting.
  [/^(invalid revision '.*?'): /, '$1 (the setting specgate.baseRef): '],
  [/; run specgate bundle again and review the new bundle$/, '; export the review bundle again (SpecGate: Export Review Bundle) and review the new one'],
  [/; run specgate bundle again$/, '; export the review bundle again'],
  [/ \(approved with --base (.+?)\); /, ' (approved with the base $1); '],
  [/; verify with --spec (.+?), or /, '; select spec $1 (SpecGate: Select Active Spec), or '],
  [/(; |, or )run specgate bundle(?: --base .+?)? and have a trusted reviewer run specgate approve on it$/, '$1export the review bundle and have a trusted reviewer approve it'],
  [/(; |, or )run specgate bundle --staged and have a trusted reviewer run specgate approve on it$/, '$1bundle the staged change (specgate bundle --staged in a terminal) and have a trusted reviewer approve it'],
  [/; nothing was written: run specgate approve again to see that record and decide$/, '; nothing was written: approve again (SpecGate: Approve Review Packet) to see that record and decide'],
  [/; pass --out with a writable folder$/, ''],
  [/; remove old ones or pass --out$/, '; remove old ones'],
  [/; pass a folder written by specgate bundle$/, '; pick a folder written by SpecGate: Export Review Bundle'],
  [/ \(packet\.json of a bundle made by specgate bundle\)$/, ' (packet.json of a bundle made by SpecGate: Export Review Bundle)'],
  [/ \(pass the bundle folder or its packet\.json\)$/, ''],
  [/; pass --key with your private key \(e\.g\. ~\/\.ssh\/id_ed25519\)$/, '; choose your SSH private key (the setting specgate.approve.keyPath)'],
  [/^pass --key with your SSH private key \(e\.g\. --key ~\/\.ssh\/id_ed25519\), or set it as git signs with it: git config gpg\.format ssh and git config user\.signingkey <key>$/, 'choose your SSH private key (the setting specgate.approve.keyPath)'],
  [/; --force does not write into husky's folder either( \(see docs\/ci\.md\))$/, '$1'],
];

/** An engine or CLI message as the editor should say it (first line only). */
export function editorMessage(message: string): string {
  let m = message.split('\n')[0] ?? '';
  for (const [re, to] of REWRITES) m = m.replace(re, to);
  return m;
}

/**
 * A refusal to replace a pre-commit hook as the Install Pre-commit Gate question says it: the
 * question's `button` replaces the hook, where the command line passes --force.
 */
export function hookQuestionDetail(message: string, button: string): string {
  return editorMessage(message)
    .replace(/, or pass --force to replace it \(/, `, or choose ${button} to replace it (`)
    .replace(/, and specgate hook uninstall puts it back\)$/, ', and specgate hook uninstall in a terminal puts it back)');
}

/**
 * Text with no link VS Code would render in a notification: it turns `[label](target)` into
 * a link there, and a `command:` target runs a command when clicked. A spec's name, a path,
 * a reviewer's comment or git's own words may hold that syntax (assistants write them), so
 * every notification goes through this (see notify.ts); SpecGate's own messages hold no link.
 */
export function noLinks(text: string): string {
  return text.replace(/\]\(/g, '] (');
}

/**
 * Text for a place that draws `$(name)` as an icon (a code lens title, the status bar item),
 * with every `$(` in it escaped (`\$(`), which VS Code shows as written: a task titled
 * `$(pass) approved` or a file named `$(check).ts` cannot put a tick on SpecGate's lens.
 */
export function noIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
