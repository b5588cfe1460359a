// A typed, read-once mirror of the `specgate.*` settings. Read when created and again only
// when a change `affectsConfiguration('specgate')`; hot paths read the cached value.
import * as vscode from 'vscode';
import type { FindingKind } from '../core/model';
import { Disposable } from './disposable';

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface SpecGateSettings {
  readonly baseRef: string;
  readonly protectedPaths: readonly string[];
  readonly debounceMs: number;
  readonly codeLens: { readonly enabled: boolean; readonly inScope: boolean };
  readonly severity: Readonly<Partial<Record<FindingKind, SeveritySetting>>>;
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];

/**
 * Reads the settings for a folder (or the window), dropping malformed values. `baseRef` and
 * `protectedPaths` are resource-scoped (each folder of a multi-root workspace may set its
 * own); the others apply to the window and are read without a resource.
 */
export function readSettings(scope?: vscode.ConfigurationScope): SpecGateSettings {
  const folder = vscode.workspace.getConfiguration('specgate', scope ?? null);
  const c = vscode.workspace.getConfiguration('specgate');
  const debounce = c.get<number>('debounceMs', 300);
  const rawSeverity = c.get<Record<string, unknown>>('severity', {}) ?? {};
  const severity: Partial<Record<FindingKind, SeveritySetting>> = {};
  for (const [kind, value] of Object.entries(rawSeverity)) {
    if (typeof value === 'string' && SEVERITIES.includes(value)) severity[kind as FindingKind] = value as SeveritySetting;
  }
  const paths = folder.get<unknown>('protectedPaths', []);
  const base = folder.get<unknown>('baseRef', '');
  return {
    baseRef: typeof base === 'string' ? base.trim() : '',
    protectedPaths: Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [],
    debounceMs: typeof debounce === 'number' && Number.isFinite(debounce) ? Math.min(5000, Math.max(0, debounce)) : 300,
    codeLens: { enabled: c.get<boolean>('codeLens.enabled', true) !== false, inScope: c.get<boolean>('codeLens.inScope', false) === true },
    severity,
  };
}

/** The window-level settings, kept current. Folder-scoped reads go through `forFolder`. */
export class Settings extends Disposable {
  private _value = readSettings();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<SpecGateSettings>());
  /** Fires with the new settings after a `specgate.*` setting changed. */
  readonly onDidChange = this._onDidChange.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('specgate')) return;
        this._value = readSettings();
        this._onDidChange.fire(this._value);
      }),
    );
  }

  get value(): SpecGateSettings {
    return this._value;
  }

  forFolder(folder: vscode.WorkspaceFolder): SpecGateSettings {
    return readSettings(folder.uri);
  }
}
