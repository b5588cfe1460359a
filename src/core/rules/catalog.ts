// The rule catalogue: id, name, default severity and descriptions of every finding kind.
// SARIF's tool.driver.rules and docs/rules.md are written from this table.
import { RULE_IDS, type FindingKind, type Severity } from '../model';

export interface RuleInfo {
  id: string;
  kind: FindingKind;
  /** PascalCase name (SARIF `rule.name`). */
  name: string;
  /** The severity the rule reports with unless a rule-specific case or the config says otherwise. */
  severity: Severity;
  short: string;
  full: string;
  help: string;
}

const info = (kind: FindingKind, name: string, severity: Severity, short: string, full: string, help: string): RuleInfo => ({
  id: RULE_IDS[kind],
  kind,
  name,
  severity,
  short,
  full,
  help,
});

export const RULES: readonly RuleInfo[] = [
  info(
    'out-of-scope',
    'OutOfScope',
    'error',
    'Change outside the spec scope',
    'A changed file that no scope glob and no task path of the spec covers.',
    'Revert the change, or add the path to the spec (a task that names it, or a scope glob) if the change is intended.',
  ),
  info(
    'excluded-path',
    'ExcludedPath',
    'error',
    'Change to a non-goal path',
    'A changed file matched by an exclude glob of the spec (Out of Scope, Non-Goals, out_of_scope:).',
    'The spec says this path must not change. Revert the change, or change the spec with the reviewer.',
  ),
  info(
    'file-deleted',
    'FileDeleted',
    'warning',
    'File deleted',
    'A file that existed in the base was deleted.',
    'Confirm the deletion is intended and that a task asks for it.',
  ),
  info(
    'mass-rewrite',
    'MassRewrite',
    'error',
    'Most of an existing file replaced',
    'Most of an existing file was removed and replaced (the delete-and-recreate pattern), a file was deleted and re-created under a similar name, a protected file was renamed, or a file was replaced by another type (a symlink).',
    'Prefer a focused edit. If the rewrite is intended, review the whole file, not the diff.',
  ),
  info(
    'large-deletion',
    'LargeDeletion',
    'warning',
    'Large deletion',
    'Many more lines were removed from one file than added (threshold: thresholds.largeDeletion).',
    'Confirm the removed code is no longer needed.',
  ),
  info(
    'protected-path',
    'ProtectedPath',
    'error',
    'Change to a protected path',
    'A change to infrastructure, CI, lockfiles, migrations, secrets, git attributes or SpecGate configuration (defaults, plus protected globs in the config and the spec). Reported as a warning when a task names the file.',
    'These files have a high blast radius. Have a reviewer check the change line by line.',
  ),
  info(
    'removed-export',
    'RemovedExport',
    'warning',
    'Exported name removed',
    'An exported function, class, variable, type, interface, enum, default export or re-export of a JavaScript/TypeScript file no longer exists.',
    'Callers elsewhere may break. Confirm no code depends on the removed export.',
  ),
  info(
    'requirement-uncovered',
    'RequirementUncovered',
    'info',
    'Requirement not covered',
    'No task references the requirement, or all its tasks are still open and no changed file is linked to them.',
    'Add a task for the requirement, or implement its open tasks.',
  ),
  info(
    'task-done-without-change',
    'TaskDoneWithoutChange',
    'warning',
    'Task ticked done without a change',
    'A task ticked done in this change has nothing behind it: none of the paths it names changed, they changed only in whitespace or comments or were created empty, or a file linked to it leaves a placeholder where the work should be (throw new Error("Not implemented"), todo!()).',
    'Check the task really is done; untick it otherwise.',
  ),
  info(
    'change-without-task',
    'ChangeWithoutTask',
    'info',
    'Change that no task names',
    'An in-scope change to a file that no task names, or a dependency that a manifest in scope (package.json, requirements*.txt, pyproject.toml, go.mod, Cargo.toml, Pipfile, Gemfile) adds, removes or re-versions and that nothing in the spec names outside its non-goals, or whose removal the spec does not ask for.',
    'Link the change to a task (name the path, or the package, in the task), or revert it.',
  ),
  info(
    'spec-problem',
    'SpecProblem',
    'warning',
    'Problem in the spec',
    'The spec itself has a problem: bad front matter, a reference to a requirement that does not exist, no declared scope.',
    'Fix the spec file at the location given.',
  ),
];

export const RULE_BY_KIND: Readonly<Record<FindingKind, RuleInfo>> = Object.fromEntries(RULES.map((r) => [r.kind, r])) as Record<
  FindingKind,
  RuleInfo
>;
