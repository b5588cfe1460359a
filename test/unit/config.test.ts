import { strict as assert } from 'node:assert';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';
import { UsageError } from '../../src/core/model';
import { joinLines } from './helpers/analysisFixtures';

function fails(text: string, message: string) {
  assert.throws(
    () => parseConfig(text),
    (e: Error) => e instanceof UsageError && e.message === message,
  );
}

describe('config', () => {
  it('gives the defaults for an empty file', () => {
    assert.deepEqual(parseConfig(''), { ...DEFAULT_CONFIG, thresholds: { massRewrite: 0.6, massRewriteMinLines: 20, largeDeletion: 200 } });
    assert.deepEqual(parseConfig('# nothing\n').protected, []);
  });
  it('reads thresholds, protected globs, self-approval and severities', () => {
    const c = parseConfig(
      joinLines(
        'thresholds:',
        '  massRewrite: 0.8',
        '  largeDeletion: 50',
        'protected:',
        '  - db/schema.prisma',
        '  - "ops/**"',
        'allowSelfApproval: true',
        'severity:',
        '  change-without-task: warning',
        '  requirement-uncovered: off',
      ),
    );
    assert.deepEqual(c, {
      thresholds: { massRewrite: 0.8, massRewriteMinLines: 20, largeDeletion: 50 },
      protected: ['db/schema.prisma', 'ops/**'],
      allowSelfApproval: true,
      severity: { 'change-without-task': 'warning', 'requirement-uncovered': 'off' },
      ignoreSpecs: ['**/fixtures/**', '**/__fixtures__/**', '**/testdata/**'],
    });
  });
  it('ignoreSpecs: test data by default; a list (or one glob) replaces the defaults; empty reads every spec', () => {
    assert.deepEqual(parseConfig('').ignoreSpecs, ['**/fixtures/**', '**/__fixtures__/**', '**/testdata/**']);
    assert.deepEqual(parseConfig('ignoreSpecs:\n  - examples/**\n  - " docs/old.md "\n').ignoreSpecs, ['examples/**', 'docs/old.md']);
    assert.deepEqual(parseConfig('ignoreSpecs: examples/**\n').ignoreSpecs, ['examples/**']);
    assert.deepEqual(parseConfig('ignoreSpecs: []\n').ignoreSpecs, []);
    assert.deepEqual(parseConfig('ignoreSpecs:\n').ignoreSpecs, []);
    fails('ignoreSpecs: [""]\n', ".specgate/config.yml: 'ignoreSpecs' must be a list of glob strings");
    fails('ignoreSpecs:\n  fixtures: true\n', ".specgate/config.yml: 'ignoreSpecs' must be a list of glob strings");
  });
  it('names the key of a wrong value or an unknown key', () => {
    fails('thresholds:\n  massRewrite: 2\n', ".specgate/config.yml: 'thresholds.massRewrite' must be a number between 0 and 1");
    fails('thresholds:\n  massRewrite: lots\n', ".specgate/config.yml: 'thresholds.massRewrite' must be a number between 0 and 1");
    fails('thresholds:\n  largeDeletion: -3\n', ".specgate/config.yml: 'thresholds.largeDeletion' must be a whole number of lines (1 or more)");
    fails('thresholds:\n  bogus: 1\n', ".specgate/config.yml: unknown key 'thresholds.bogus' (known: massRewrite, massRewriteMinLines, largeDeletion)");
    fails('protect:\n  - a\n', ".specgate/config.yml: unknown key 'protect' (known: thresholds, protected, allowSelfApproval, severity, ignoreSpecs)");
    fails('protected: [1, 2]\n', ".specgate/config.yml: 'protected' must be a list of glob strings");
    fails('allowSelfApproval: yes please\n', ".specgate/config.yml: 'allowSelfApproval' must be true or false");
    fails('severity:\n  out-of-scope: fatal\n', ".specgate/config.yml: 'severity.out-of-scope' must be one of error, warning, info, off");
    fails('severity:\n  nope: error\n', ".specgate/config.yml: unknown finding kind 'severity.nope' (known: out-of-scope, excluded-path, file-deleted, mass-rewrite, large-deletion, protected-path, removed-export, requirement-uncovered, task-done-without-change, change-without-task, spec-problem)");
    // Names every object has (its prototype's) are no finding kinds either.
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      fails(`severity:\n  ${name}: off\n`, `.specgate/config.yml: unknown finding kind 'severity.${name}' (known: out-of-scope, excluded-path, file-deleted, mass-rewrite, large-deletion, protected-path, removed-export, requirement-uncovered, task-done-without-change, change-without-task, spec-problem)`);
    }
    fails('- a\n- b\n', '.specgate/config.yml: must be a mapping of settings (thresholds, protected, allowSelfApproval, severity, ignoreSpecs)');
  });
  it('names merge conflict markers as such, with their line, rather than the YAML error they cause', () => {
    const text = 'thresholds:\n<<<<<<< HEAD\n  massRewrite: 0.5\n=======\n  massRewrite: 0.9\n>>>>>>> feature\n';
    assert.throws(() => parseConfig(text), { name: 'UsageError', message: '.specgate/config.yml: has merge conflict markers (line 2); resolve the conflict, then try again' });
    // A line of seven `=` inside a value is no marker unless it stands alone.
    assert.deepEqual(parseConfig('protected: ["=======x"]\n').protected, ['=======x']);
  });

  it('reports broken YAML with its line, in one line, using the given file name', () => {
    assert.throws(
      () => parseConfig('thresholds:\n  massRewrite: [\n', 'cfg.yml'),
      (e: Error) => e instanceof UsageError && /^cfg\.yml: invalid YAML at line 2: /.test(e.message) && !e.message.includes('\n'),
    );
    // An error found at the end of the input names the last line, not one past it.
    assert.throws(() => parseConfig('thresholds:\n  massRewrite: [oops\n'), (e: Error) => e instanceof UsageError && /^\.specgate\/config\.yml: invalid YAML at line 2: /.test(e.message));
    assert.throws(() => parseConfig('a: 1\na: 2\n'), (e: Error) => e instanceof UsageError && e.message === '.specgate/config.yml: invalid YAML at line 2: Map keys must be unique');
    // The library's advice to a programmer ("use YAML.parseAllDocuments()") said as what to change.
    assert.throws(
      () => parseConfig('protected: [a]\n---\nprotected: [b]\n'),
      (e: Error) => e instanceof UsageError && e.message === '.specgate/config.yml: invalid YAML at line 2: it holds more than one YAML document: remove the second `---`',
    );
  });
  it('refuses alias bombs instead of expanding them', () => {
    const bomb = joinLines('a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]');
    assert.throws(() => parseConfig(bomb), UsageError);
  });
});
