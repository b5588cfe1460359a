// Hand-built specs and change sets for the analysis tests (core tier: no git, no files).
import type { ChangeSet, FileChange, Hunk, Requirement, Spec, SpecFormat, Task } from '../../../src/core/model';
import { DEFAULT_CONFIG, type Config } from '../../../src/core/config';
import { parseSpec } from '../../../src/core/spec/parse';

export const joinLines = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** A spec of `format` parsed from `files` (names relative to the spec's folder; a plain spec's one file is the spec). */
export function parsedSpec(format: SpecFormat, files: Record<string, string>, id = { kiro: '.kiro/specs/s', speckit: 'specs/001-s', openspec: 'openspec/changes/s', plain: 'docs/s.md' }[format]): Spec {
  const path = (rel: string) => (format === 'plain' ? id : `${id}/${rel}`);
  return parseSpec(
    { id, format, name: id.slice(id.lastIndexOf('/') + 1), files: Object.keys(files).map(path) },
    Object.entries(files).map(([rel, text]) => ({ path: path(rel), text })),
  );
}

export function req(id: string, criteria: string[] = [], extra: Partial<Requirement> = {}): Requirement {
  return {
    id,
    title: `Requirement ${id}`,
    kind: 'requirement',
    criteria: criteria.map((c, i) => ({ id: c, text: `criterion ${c}`, range: { file: '.kiro/specs/demo/requirements.md', startLine: 10 + i, endLine: 10 + i } })),
    range: { file: '.kiro/specs/demo/requirements.md', startLine: 5, endLine: 5 },
    ...extra,
  };
}

export function task(id: string, extra: Partial<Task> = {}): Task {
  return {
    id,
    title: `Task ${id}`,
    state: 'todo',
    mark: ' ',
    optional: false,
    requirements: [],
    allRequirements: false,
    paths: [],
    range: { file: '.kiro/specs/demo/tasks.md', startLine: Number(id.split('.')[0]) * 2 || 1, endLine: Number(id.split('.')[0]) * 2 || 1 },
    depth: id.includes('.') ? 1 : 0,
    ...extra,
  };
}

export function spec(extra: Partial<Spec> = {}): Spec {
  return {
    id: '.kiro/specs/demo',
    format: 'kiro',
    name: 'demo',
    files: ['.kiro/specs/demo/design.md', '.kiro/specs/demo/requirements.md', '.kiro/specs/demo/tasks.md'],
    requirements: [],
    tasks: [],
    scope: { include: [], exclude: [], protected: [] },
    scopeSources: [],
    problems: [],
    ...extra,
  };
}

export function hunk(oldStart: number, oldLines: number, newStart: number, newLines: number): Hunk {
  return { oldStart, oldLines, newStart, newLines };
}

/** A text change; counts default from the hunks. */
export function change(path: string, extra: Partial<FileChange> = {}): FileChange {
  const hunks = extra.hunks ?? [hunk(1, 1, 1, 1)];
  return {
    path,
    status: 'modified',
    binary: false,
    added: hunks.reduce((n, h) => n + h.newLines, 0),
    removed: hunks.reduce((n, h) => n + h.oldLines, 0),
    hunks,
    oldBlob: 'a'.repeat(40),
    newBlob: 'b'.repeat(40),
    oldMode: '100644',
    newMode: '100644',
    oldLineCount: 100,
    newLineCount: 100,
    ...extra,
  };
}

export function added(path: string, lines: number, extra: Partial<FileChange> = {}): FileChange {
  return change(path, { status: 'added', hunks: [hunk(0, 0, 1, lines)], oldBlob: undefined, oldMode: undefined, oldLineCount: undefined, newLineCount: lines, ...extra });
}

export function deleted(path: string, lines: number, extra: Partial<FileChange> = {}): FileChange {
  return change(path, { status: 'deleted', hunks: [hunk(1, lines, 0, 0)], newBlob: undefined, newMode: undefined, oldLineCount: lines, newLineCount: undefined, ...extra });
}

export function changeSet(changes: FileChange[]): ChangeSet {
  return { base: { ref: 'HEAD', commit: 'c'.repeat(40) }, mode: 'worktree', changes };
}

export function config(extra: Partial<Config> = {}): Config {
  return { ...DEFAULT_CONFIG, thresholds: { ...DEFAULT_CONFIG.thresholds }, protected: [], severity: {}, ...extra };
}
