// SARIF 2.1.0 for GitHub code scanning: every rule described, repo-relative URIs under
// %SRCROOT%, a region on every location, and fingerprints that survive line moves (rule,
// path, task, requirement and the message with its numbers blanked, plus an occurrence count).
// Findings are sorted errors first, so the cap on results drops the least severe.
import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { Finding, Report, Severity } from '../model';
import { VERSION } from '../version';
import { RULES } from '../rules/catalog';
import { mdMessage } from './markdown';
import { messageParts, plainMessage } from './plainTitle';
import { revealControls } from './reviewdata';

export const INFORMATION_URI = 'https://github.com/specgate/specgate';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'specgate/v2';
/** GitHub code scanning accepts at most this many results per run. */
export const MAX_RESULTS = 25_000;
const RULES_DOC = `${INFORMATION_URI}/blob/main/docs/rules.md#rules`;

export interface SarifOptions {
  /** Absolute path of the repository root, recorded as %SRCROOT% (omit for a portable file). */
  srcRoot?: string;
  /**
   * How SpecGate read the change, one line each (ChangeSet.notes): SARIF's place for what a
   * tool says about its run rather than about the code is the invocation's notifications.
   */
  notes?: readonly string[];
  /** The text of the line a finding starts at (see fingerprints), where it can be read. */
  lineText?: (f: Finding) => string | undefined;
}

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** A repo-relative path as a relative URI reference: each segment percent-encoded. */
export function pathToUri(path: string): string {
  return path
    .split('/')
    .map((seg) =>
      seg.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/gu, (c) => {
        try {
          return encodeURIComponent(c);
        } catch {
          return '%EF%BF%BD';
        }
      }),
    )
    .join('/');
}

/** `file:///abs/root/` for originalUriBaseIds (trailing slash required by SARIF). */
export function rootToUri(root: string): string {
  let p = root.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(p)) p = `/${p}`;
  if (!p.endsWith('/')) p += '/';
  return `file://${pathToUri(p)}`;
}

function location(path: string, startLine: number | undefined, endLine: number | undefined): Sarif.Location {
  const start = startLine !== undefined && startLine >= 1 ? startLine : 1;
  const end = endLine !== undefined && endLine >= start ? endLine : start;
  return {
    physicalLocation: {
      artifactLocation: { uri: pathToUri(path), uriBaseId: '%SRCROOT%' },
      region: end !== start ? { startLine: start, endLine: end } : { startLine: start },
    },
  };
}

/**
 * SARIF 2.1.0 (3.11.3, 3.11.4): `text` is plain text; a message that quotes code also gets
 * `markdown` (GitHub Flavored Markdown, everything but the code spans escaped), which a
 * viewer that renders markdown shows instead.
 */
function sarifMessage(message: string): Sarif.Message {
  // Control characters, bidi controls and invisible ones from the spec or a file name are
  // shown as `\u{202e}` (see revealControls), as in every other output: code scanning, a
  // SARIF viewer or `jq -r` in a terminal would otherwise obey or hide them.
  if (!messageParts(message).some((p) => p.code)) return { text: revealControls(message) };
  return { text: revealControls(plainMessage(message)), markdown: mdMessage(message) };
}

// The fingerprint reads the message as the report holds it (code spans included), so
// baselines made before messages had a plain form still match.
function fingerprintBase(f: Finding): string {
  const message = f.message.replace(/\b\d+(?:\.\d+)?%?/g, '#').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update([f.rule, f.path, f.task ?? '', f.requirement ?? '', message].join('\0')).digest('hex').slice(0, 32);
}

/** Renders the report as a SARIF log with one run. */
export function renderSarif(report: Report, opts: SarifOptions = {}): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = RULES.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.short },
    fullDescription: { text: r.full },
    help: { text: r.help, markdown: `${r.help}\n\nSee [${r.id} ${r.kind}](${RULES_DOC}).` },
    helpUri: RULES_DOC,
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['specgate', r.kind] },
  }));
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const results: Sarif.Result[] = report.findings.slice(0, MAX_RESULTS).map((f) => {
    // The finding, then the text of its line (spaces folded): two hunks of one file get the same
    // message, and only their code tells them apart when one is added above the other. The
    // count keeps findings on lines of the same text apart.
    const text = opts.lineText?.(f);
    const base = `${fingerprintBase(f)}:${text === undefined ? '-' : createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const result: Sarif.Result = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule) ?? -1,
      level: LEVEL[f.severity],
      message: sarifMessage(f.message),
      locations: [location(f.path, f.startLine, f.endLine)],
      partialFingerprints: { [FINGERPRINT_KEY]: `${base}:${n}` },
    };
    if (f.related && f.related.length > 0) {
      result.relatedLocations = f.related.map((r, i) => ({ id: i + 1, ...location(r.file, r.line, r.line), message: sarifMessage(r.message) }));
    }
    const props: Record<string, string> = {};
    if (f.task !== undefined) props.task = f.task;
    if (f.requirement !== undefined) props.requirement = f.requirement;
    if (Object.keys(props).length > 0) result.properties = props;
    return result;
  });
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'SpecGate',
        version: VERSION,
        semanticVersion: VERSION,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
    automationDetails: { id: `specgate/${report.spec.id}/` },
    results,
    properties: { spec: report.spec.id, risk: report.summary.risk, digest: report.digest },
  };
  if (opts.srcRoot !== undefined) run.originalUriBaseIds = { '%SRCROOT%': { uri: rootToUri(opts.srcRoot) } };
  const notes = [...(opts.notes ?? [])];
  const left = report.findings.length - results.length;
  if (left > 0) {
    notes.push(`${left} of ${report.findings.length} findings are left out: GitHub code scanning takes at most ${MAX_RESULTS} results per run (the least severe were left out; check --format json lists them all)`);
  }
  if (notes.length > 0) {
    run.invocations = [{ executionSuccessful: true, toolExecutionNotifications: notes.map((n) => ({ level: 'note', message: { text: revealControls(n) } })) }];
  }
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}
