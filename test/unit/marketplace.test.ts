// docs/marketplace.md is the README the .vsix ships (the installed extension's Details page,
// scripts/package.mjs). It must name every command and setting the extension contributes,
// with the defaults package.json gives, so the page a user reads cannot drift from what
// the extension offers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');
const page = readFileSync(path.join(REPO_ROOT, 'docs/marketplace.md'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { default?: unknown }> }[];
  };
};

describe('the Details page README (docs/marketplace.md)', () => {
  it('names every contributed command by its palette title', () => {
    const missing = manifest.contributes.commands
      .map((c) => `*${c.category ? `${c.category}: ` : ''}${c.title}*`)
      .filter((title) => !page.includes(title));
    assert.deepEqual(missing, []);
  });

  it('lists every setting with the default package.json gives it', () => {
    const rows = new Map<string, string>();
    for (const line of page.split('\n')) {
      const m = /^\| `(specgate\.[\w.]+)` \| `([^`]*)` \|/.exec(line);
      if (m) rows.set(m[1]!, m[2]!);
    }
    const expected = new Map<string, string>();
    for (const section of manifest.contributes.configuration) {
      for (const [key, schema] of Object.entries(section.properties)) expected.set(key, JSON.stringify(schema.default));
    }
    assert.deepEqual([...rows.entries()].sort(), [...expected.entries()].sort());
  });

  it('has no relative link or image (vsce would point it at the repository, which the installed page cannot need)', () => {
    const links = [...page.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).filter((href) => !/^https:\/\//.test(href));
    assert.deepEqual(links, []);
  });
});
