// The state one spec is assembled in while its files are read by the layout parsers.
import type { NonGoal, Requirement, SpecFormat, SpecProblem, Task } from '../model';
import type { MdDoc } from './markdown';
import type { RawRefs } from './tasks';
import { ScopeCollector } from './scope';

export interface MdFile {
  /** Repo-relative path. */
  path: string;
  /** Path relative to the spec folder (the file name for single-file specs). */
  rel: string;
  doc: MdDoc;
}

/** What the parsers saw beyond the model, for tests and diagnostics. */
export interface SpecDetails {
  /** Kiro: path-like backtick spans anywhere in tasks.md, as written. */
  backtickedPaths: string[];
  /** spec-kit: paths on task checkbox lines (backticked and bare), as written. */
  taskLinePaths: string[];
  /** OpenSpec: paths in proposal.md's Impact section, as written. */
  impactPaths: string[];
  impactSectionPresent: boolean;
  /** `all`/`All` tokens as written in `_Requirements:` lines. */
  allTokens: string[];
  /** `_Requirements:` tokens that are not a plain id or range. */
  nonstandardRefTokens: string[];
  /** Number of `_Requirements:` lines. */
  requirementsLines: number;
  /** Ids from `**Validates: Requirements …**` lines. */
  validatesRefs: string[];
  /** Checkbox lines in tasks.md that are not tasks. */
  nonTaskCheckboxLines: number;
  /** OpenSpec: `#### Scenario:` headings in delta files. */
  scenarios: number;
  /** Parsed `.config.kiro`. */
  config?: unknown;
}

export class SpecContext {
  readonly requirements: Requirement[] = [];
  readonly tasks: Task[] = [];
  readonly problems: SpecProblem[] = [];
  readonly nonGoals: NonGoal[] = [];
  readonly refs: RawRefs[] = [];
  readonly scope = new ScopeCollector();
  readonly details: SpecDetails = {
    backtickedPaths: [],
    taskLinePaths: [],
    impactPaths: [],
    impactSectionPresent: false,
    allTokens: [],
    nonstandardRefTokens: [],
    requirementsLines: 0,
    validatesRefs: [],
    nonTaskCheckboxLines: 0,
    scenarios: 0,
  };

  constructor(
    readonly id: string,
    readonly format: SpecFormat,
    readonly markdown: readonly MdFile[],
    readonly other: ReadonlyMap<string, string>,
  ) {}

  file(rel: string): MdFile | undefined {
    return this.markdown.find((f) => f.rel === rel);
  }

  addRefs(refs: readonly RawRefs[]): void {
    for (const r of refs) {
      this.refs.push(r);
      this.details.allTokens.push(...r.all);
      this.details.nonstandardRefTokens.push(...r.nonstandard);
    }
    this.details.requirementsLines += refs.length;
  }
}
