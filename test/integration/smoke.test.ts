// The extension as a user gets it: activates in the real extension host on the fixture
// workspace, registers the commands its manifest declares, and exports its API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FIXTURE_CHANGE, git, workspaceRoot } from './fixtures';

const EXTENSION_ID = 'specgate.specgate';

interface ManifestCommand {
  command: string;
  title: string;
}

describe('SpecGate in a real VS Code extension host', () => {
  let ext: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath)`);
    ext = found;
    await ext.activate();
  });

  it('opens the fixture workspace: a git repository with the Kiro spec and an uncommitted change', async () => {
    const root = workspaceRoot();
    const status = await git(root, 'status', '--porcelain=v1', '-z');
    const changed = status.split('\0').filter(Boolean).map((l) => l.slice(3)).sort();
    assert.deepEqual(changed, [FIXTURE_CHANGE.outOfScope, FIXTURE_CHANGE.inScope].sort());
    const spec = await vscode.workspace.findFiles('.kiro/specs/billing-retry/*.md');
    assert.equal(spec.length, 3);
  });

  it('activates on the workspace and reports the manifest version through its API', () => {
    assert.equal(ext.isActive, true);
    const api = ext.exports as { version?: unknown } | undefined;
    assert.ok(api && typeof api === 'object', 'activate() returned no API object');
    assert.equal(api.version, (ext.packageJSON as { version: string }).version);
  });

  it('registers every command the manifest contributes', async () => {
    const declared = ((ext.packageJSON as { contributes: { commands: ManifestCommand[] } }).contributes.commands).map(
      (c) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.ok(missing.length === 0, `commands declared in package.json but not registered on activation: ${missing.join(', ')}`);
  });
});
