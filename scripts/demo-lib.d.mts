// Types for scripts/demo-lib.mjs, so TypeScript tests can import it.
export type ExampleLayout = 'kiro' | 'speckit' | 'openspec';

export interface ExampleRepo {
  /** Absolute path of the repository's work tree. */
  root: string;
  layout: ExampleLayout;
  /** The spec's id (folder relative to the repo root). */
  specId: string;
  /** The baseline commit (HEAD). */
  baseCommit: string;
}

export interface ExpectedFinding {
  kind: string;
  path?: string;
  task?: string;
}

export const REPO_ROOT: string;
export const EXAMPLES_DIR: string;
export const EXAMPLE_SPEC_IDS: Readonly<Record<ExampleLayout, string>>;
export function expectedExampleFindings(layout: ExampleLayout): ExpectedFinding[];
export function readDeletedList(changeDir: string): string[];
export function createExampleRepo(dir: string, options?: { layout?: ExampleLayout; applyChange?: boolean }): ExampleRepo;
export function cliIsStale(): boolean;
export function ensureBuilt(): boolean;
