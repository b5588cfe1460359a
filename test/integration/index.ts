// Entry point the extension host loads as extensionTestsPath (code-server runner): runs mocha
// over the compiled *.test.js of one suite: `folders` (the files in folders/, run in the
// multi-root workspace) or, by default, `main` (every other file, run in the fixture folder).
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
  const suite = process.env.SPECGATE_TEST_SUITE === 'folders' ? 'folders' : 'main';
  const inFolders = (f: string): boolean => f.split(path.sep)[0] === 'folders';
  const files = readdirSync(__dirname, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js') && inFolders(f) === (suite === 'folders'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`no *.test.js files of the ${suite} suite in ${__dirname}: run 'node scripts/build-tests.mjs'`));
      return;
    }
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
