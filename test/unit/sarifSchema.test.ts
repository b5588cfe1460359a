// The SARIF that `specgate check --format sarif` and bundles write, validated against the
// official SARIF 2.1.0 JSON schema (draft-04; shipped in @microsoft/jest-sarif, used here for
// its schema file only), on the bundled example in every layout: findings of every kind the
// example shows, rule metadata, locations and fingerprints must all be schema-valid.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { makeRepo } from './helpers/gitRepo';
import { renderSarif } from '../../src/core/render/sarif';
import addFormats from 'ajv-formats';

type DemoLib = typeof import('../../scripts/demo-lib.mjs', { with: { 'resolution-mode': 'import' } });

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const SCHEMA = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

describe('SARIF output against the official SARIF 2.1.0 schema', function () {
  this.timeout(120_000);
  let lib: DemoLib;
  let tmp: string;
  let validate: ReturnType<Ajv['compile']>;

  before(async () => {
    lib = await import('../../scripts/demo-lib.mjs');
    lib.ensureBuilt();
    // unicodeRegExp off: the schema's language-tag pattern (`…[a-zA-Z]{2}]?$`) is not valid with
    // the `u` flag, a known flaw of the published rtm.5 file.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'specgate-sarif-')));
  });
  after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  for (const layout of ['kiro', 'speckit', 'openspec'] as const) {
    it(`check --format sarif on the ${layout} example is a valid SARIF 2.1.0 log`, () => {
      const repo = lib.createExampleRepo(path.join(tmp, layout), { layout, applyChange: true });
      const r = spawnSync(process.execPath, [CLI, 'check', '--cwd', repo.root, '--format', 'sarif'], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      const log = JSON.parse(r.stdout);
      const ok = validate(log);
      assert.ok(ok, `schema errors: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
      assert.equal(log.version, '2.1.0');
      const kinds = new Set<string>(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId));
      for (const id of ['SG101', 'SG202', 'SG210', 'SG220', 'SG302']) assert.ok(kinds.has(id), `${id} among the results`);
    });
  }

  it('a log with notes on how the change was read (run notifications) is valid too', () => {
    const report = JSON.parse(spawnSync(process.execPath, [CLI, 'check', '--cwd', lib.createExampleRepo(path.join(tmp, 'notes'), { layout: 'kiro', applyChange: true }).root, '--format', 'json'], { encoding: 'utf8' }).stdout);
    const log = renderSarif(report, { notes: ['src/a.ps1 uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it is listed as binary'] });
    assert.ok(validate(log), `schema errors: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
    assert.equal(log.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!.level, 'note');
  });

  it('file names with spaces, #, %, ? and non-ASCII become valid, round-tripping URIs', async () => {
    const repo = await makeRepo({ 'docs/specs/cache.md': '---\nscope:\n  - src/**\n---\n# Cache\n', 'README.md': 'x\n' });
    try {
      const names = ['lib/my file #1.ts', 'lib/100% ready?.ts', 'lib/ünïcödé ✓.ts'];
      for (const n of names) await repo.write(n, 'export const x = 1;\n');
      const r = spawnSync(process.execPath, [CLI, 'check', '--cwd', repo.root, '--format', 'sarif'], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      const log = JSON.parse(r.stdout);
      assert.ok(validate(log), `schema errors: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
      const uris: string[] = log.runs[0].results.map(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri,
      );
      assert.deepEqual([...new Set(uris.map((u) => decodeURIComponent(u)))].sort(), [...names].sort());
    } finally {
      await repo.cleanup();
    }
  });

  it('a log that breaks the schema is refused (the validator is live)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal' }] }] }), false);
  });
});
