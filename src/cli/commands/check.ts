// `specgate check`: analyse the change against the spec and print the report as text, JSON
// or SARIF. Exit 1 when a finding is at or above --fail-on, else 0.
import type { Finding, Report, Severity } from '../../core/model';
import { renderSarif } from '../../core/render/sarif';
import { renderText } from '../../core/render/text';
import { analyzeRepository } from '../../node/engine';
import { findingLines } from '../../node/findingLines';
import { mark } from '../../node/timings';
import type { ChangeOptions } from './options';

export type CheckFormat = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'none';

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** Whether the report has a finding at or above the threshold. */
export function failsOn(report: Report, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const floor = RANK[failOn];
  return report.findings.some((f) => RANK[f.severity] >= floor);
}

/**
 * `pretty: false` writes JSON on one line (for pipes and files: a third smaller, faster to
 * write). `notes` (ChangeSet.notes) go into the text report, SARIF's run notifications, and
 * the JSON report's optional `notes` (a field added to `specgate.report/1`, see schema.md).
 */
export function formatReport(
  report: Report,
  format: CheckFormat,
  opts: { color?: boolean; srcRoot?: string; pretty?: boolean; notes?: readonly string[]; lineText?: (f: Finding) => string | undefined } = {},
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(opts.notes?.length ? { ...report, notes: opts.notes } : report, null, opts.pretty === false ? undefined : 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(renderSarif(report, { srcRoot: opts.srcRoot, notes: opts.notes, lineText: opts.lineText }), null, 2)}\n`;
    default:
      return renderText(report, { color: opts.color, notes: opts.notes });
  }
}

export async function runCheck(o: ChangeOptions & { format: CheckFormat; failOn: FailOn; cache?: boolean }): Promise<number> {
  const { report, git, changeSet } = await analyzeRepository({ cwd: o.cwd, spec: o.spec, base: o.base, staged: o.staged, useCache: o.cache !== false });
  // Every format carries the notes; with JSON they go to stderr as well (where they went before the field).
  const notes = changeSet.notes ?? [];
  if (o.format === 'json') for (const note of notes) process.stderr.write(`specgate: note: ${note}\n`);
  const color = o.format === 'text' && !!process.stdout.isTTY && !process.env.NO_COLOR;
  const pretty = !!process.stdout.isTTY;
  const code = failsOn(report, o.failOn) ? 1 : 0;
  try {
    const lineText = o.format === 'sarif' ? await findingLines(git, changeSet, report.findings) : undefined;
    const text = formatReport(report, o.format, { color, srcRoot: git.root, pretty, notes, lineText });
    mark('formatted');
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    mark('written');
  } catch (err) {
    // The reader closed the pipe (`specgate check | head`): the verdict still stands.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
  }
  return code;
}
