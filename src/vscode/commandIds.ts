// Every SpecGate command id, in one place. package.json's `contributes.commands` lists the
// public ones; the rest are internal (code lens and quick fix targets).
export const CommandId = {
  SelectSpec: 'specgate.selectSpec',
  Refresh: 'specgate.refresh',
  ExportBundle: 'specgate.exportBundle',
  OpenPacket: 'specgate.openPacket',
  Approve: 'specgate.approve',
  Reject: 'specgate.reject',
  Verify: 'specgate.verify',
  InstallHook: 'specgate.installHook',
  NewSpec: 'specgate.newSpec',
  ShowOutput: 'specgate.showOutput',
  AddToScope: 'specgate.addToScope',
  RevertHunk: 'specgate.revertHunk',
  LinkToTask: 'specgate.linkToTask',
  /**
   * The same two fixes from a row's menu in the Changes view: they act on that row's file
   * only, never on the editor's (a row VS Code forgot, as the view was redrawn, is refused).
   */
  AddToScopeRow: 'specgate.addToScopeRow',
  LinkToTaskRow: 'specgate.linkToTaskRow',
  /** A deleted file's row in the Changes view: put the file back as the base has it. */
  RestoreFile: 'specgate.restoreFile',
  /** Internal: a Specs view row for a folder laid out almost as a spec explains it and offers the rename. */
  FixSpecFolder: 'specgate.fixSpecFolder',
  /** Internal: a Specs view row for a spec ignoreSpecs leaves out explains it and offers to read it. */
  ReadIgnoredSpec: 'specgate.readIgnoredSpec',
  /** Internal: a code lens over a task or requirement lists its changed files. */
  ShowChangedFiles: 'specgate.showChangedFiles',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
