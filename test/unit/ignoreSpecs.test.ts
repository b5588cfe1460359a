import { strict as assert } from 'node:assert';
import { DEFAULT_IGNORE_SPECS, parseConfig } from '../../src/core/config';
import { ignoredReason, ignoreSpecsWithout, ignoringGlobs, isDefaultIgnoreList } from '../../src/core/ignoreSpecs';
import { UsageError } from '../../src/core/model';

describe('ignoreSpecs', () => {
  it('names the globs that leave a spec out: a spec file, a layout folder, a folder named alone', () => {
    assert.deepEqual(ignoringGlobs('test/fixtures/a/spec.md', DEFAULT_IGNORE_SPECS), ['**/fixtures/**']);
    assert.deepEqual(ignoringGlobs('pkg/__fixtures__/.kiro/specs/pay', DEFAULT_IGNORE_SPECS), ['**/__fixtures__/**']);
    assert.deepEqual(ignoringGlobs('examples/specs/001-a', ['examples', 'docs/**']), ['examples']);
    assert.deepEqual(ignoringGlobs('docs/a.md', ['docs/**', '**/a.md', 'src/**']), ['docs/**', '**/a.md']);
    assert.deepEqual(ignoringGlobs('docs/specs/a.md', DEFAULT_IGNORE_SPECS), []);
    assert.deepEqual(ignoringGlobs('docs/specs/a.md', []), []);
  });

  it('says why: the default list is test data, any other is the config', () => {
    assert.equal(isDefaultIgnoreList(DEFAULT_IGNORE_SPECS), true);
    assert.equal(isDefaultIgnoreList([...DEFAULT_IGNORE_SPECS]), true);
    assert.equal(isDefaultIgnoreList(DEFAULT_IGNORE_SPECS.slice(1)), false);
    assert.equal(ignoredReason(DEFAULT_IGNORE_SPECS, 2), 'by default, test data is not read');
    assert.equal(ignoredReason(['docs/**'], 1), '.specgate/config.yml ignores it');
    assert.equal(ignoredReason(['docs/**'], 3), '.specgate/config.yml ignores them');
  });

  it('with no config, makes one holding the default list less the glob, which parses back to that list', () => {
    const text = ignoreSpecsWithout(undefined, ['**/fixtures/**']);
    assert.equal(
      text,
      [
        `# SpecGate's settings for this repository (see its README, "Configuration").`,
        `# ignoreSpecs: files never read as specs. SpecGate's default list, less **/fixtures/**.`,
        'ignoreSpecs:',
        '  - "**/__fixtures__/**"',
        '  - "**/testdata/**"',
        '',
      ].join('\n'),
    );
    assert.deepEqual(parseConfig(text).ignoreSpecs, ['**/__fixtures__/**', '**/testdata/**']);
    // An empty file is no config either; every default dropped reads everything.
    const all = ignoreSpecsWithout(' \n', [...DEFAULT_IGNORE_SPECS]);
    assert.match(all, /\nignoreSpecs: \[\]\n$/);
    assert.deepEqual(parseConfig(all).ignoreSpecs, []);
  });

  it('in a config, takes out only the dropped entries: the others keep their comments, other keys stay as written', () => {
    const before = ['# ours', 'thresholds:', '  largeDeletion: 100 # lower', 'ignoreSpecs:', '  - test/fixtures # test data', '  - examples/** # not ours', 'allowSelfApproval: false', ''].join('\n');
    assert.equal(
      ignoreSpecsWithout(before, ['test/fixtures']),
      ['# ours', 'thresholds:', '  largeDeletion: 100 # lower', 'ignoreSpecs:', '  - examples/** # not ours', 'allowSelfApproval: false', ''].join('\n'),
    );
    // The last entry gone: an empty list, written as [] (which reads everything).
    const last = ignoreSpecsWithout('ignoreSpecs:\n  - test/fixtures\n', ['test/fixtures']);
    assert.equal(last, 'ignoreSpecs: []\n');
    assert.deepEqual(parseConfig(last).ignoreSpecs, []);
    // One glob as a string: replaced by the list without it.
    assert.equal(ignoreSpecsWithout('ignoreSpecs: "**/fixtures/**"\n', ['**/fixtures/**']), 'ignoreSpecs: []\n');
  });

  it('in a config without the key, writes the default list less the glob below the rest', () => {
    const text = ignoreSpecsWithout('# keep\nthresholds:\n  largeDeletion: 50\n', ['**/testdata/**']);
    assert.equal(text, '# keep\nthresholds:\n  largeDeletion: 50\nignoreSpecs:\n  - "**/fixtures/**"\n  - "**/__fixtures__/**"\n');
    assert.deepEqual(parseConfig(text).thresholds.largeDeletion, 50);
  });

  it('refuses a config that does not parse or is not valid, naming the problem', () => {
    const refuses = (text: string, message: string) =>
      assert.throws(
        () => ignoreSpecsWithout(text, ['x']),
        (e: Error) => e instanceof UsageError && e.message === message,
      );
    refuses('ignoreSpecs: [\n', '.specgate/config.yml: invalid YAML at line 1: Flow sequence in block collection must be sufficiently indented and end with a ]; fix it first');
    refuses('- a\n', '.specgate/config.yml: must be a mapping of settings (thresholds, protected, allowSelfApproval, severity, ignoreSpecs); fix it first');
    refuses('bogus: 1\n', ".specgate/config.yml: unknown key 'bogus' (known: thresholds, protected, allowSelfApproval, severity, ignoreSpecs); fix it first");
  });
});
