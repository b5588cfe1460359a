// Entry point the extension host loads as extensionTestsPath (code-server runner and
// @vscode/test-electron alike): runs mocha over every compiled *.test.js beside it.
// The spec reporter writes through console.log, which the host forwards to the runner.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.SPECGATE_MOCHA_TIMEOUT_MS || 30000),
  });
  const grep = process.env.SPECGATE_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`no *.test.js files in ${__dirname}: run 'node scripts/build-tests.mjs'`));
      return;
    }
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
