// The speed work on `specgate check` keeps results exact: spec discovery through git
// pathspecs finds every layout and plain spec, the faster literal blanking keeps offsets and
// line breaks, and the one-line JSON is the same report.
import { strict as assert } from 'node:assert';
import { blankLiterals, scanExports } from '../../src/core/exports';
import type { Report } from '../../src/core/model';
import { formatReport } from '../../src/cli/commands/check';
import { discoverSpecs } from '../../src/node/specs';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const PLAIN = '---\nscope:\n  include: ["src/**"]\n---\n# Plain spec\n';

describe('check speed work keeps results exact', () => {
  describe('spec discovery through git pathspecs', () => {
    let repo: TestRepo;
    before(async () => {
      repo = await makeRepo({
        '.kiro/specs/alpha/requirements.md': '# Requirements\n',
        '.kiro/specs/alpha/.config.kiro': '{}\n',
        '.kiro/specs/alpha/diagram.png': 'png',
        'specs/001-beta/spec.md': '# Spec\n',
        'specs/001-beta/notes.txt': 'notes\n',
        '.specify/specs/002-gamma/plan.md': '# Plan\n',
        'openspec/changes/add-delta/proposal.md': '# Proposal\n',
        'README.MD': PLAIN,
        'docs/deep/design.markdown': PLAIN,
        'docs/other.md': '# not a spec\n',
        'src/index.ts': 'export const x = 1;\n',
        '.gitignore': 'ignored.md\n',
      });
      await repo.write('notes/untracked.md', PLAIN);
      await repo.write('ignored.md', PLAIN);
    });
    after(async () => repo.cleanup());

    const expected = [
      { id: '.kiro/specs/alpha', files: ['.kiro/specs/alpha/.config.kiro', '.kiro/specs/alpha/diagram.png', '.kiro/specs/alpha/requirements.md'] },
      { id: '.specify/specs/002-gamma', files: ['.specify/specs/002-gamma/plan.md'] },
      { id: 'docs/deep/design.markdown', files: ['docs/deep/design.markdown'] },
      { id: 'notes/untracked.md', files: ['notes/untracked.md'] },
      { id: 'openspec/changes/add-delta', files: ['openspec/changes/add-delta/proposal.md'] },
      // Listed ignoring case (README.MD among the r's, not before every lower-case id).
      { id: 'README.MD', files: ['README.MD'] },
      { id: 'specs/001-beta', files: ['specs/001-beta/notes.txt', 'specs/001-beta/spec.md'] },
    ];

    it('finds every layout folder (all its files), upper-case and .markdown plain specs, untracked ones, and skips ignored files', async () => {
      const found = await discoverSpecs(repo.root, { useGit: true });
      assert.deepEqual(
        found.map((c) => ({ id: c.id, files: c.files })),
        expected,
      );
    });

    it('is not fooled by GIT_LITERAL_PATHSPECS=1 in the environment', async () => {
      const saved = process.env.GIT_LITERAL_PATHSPECS;
      process.env.GIT_LITERAL_PATHSPECS = '1';
      try {
        const found = await discoverSpecs(repo.root, { useGit: true });
        assert.deepEqual(
          found.map((c) => c.id),
          expected.map((e) => e.id),
        );
      } finally {
        if (saved === undefined) delete process.env.GIT_LITERAL_PATHSPECS;
        else process.env.GIT_LITERAL_PATHSPECS = saved;
      }
    });
  });

  describe('literal blanking', () => {
    it('blanks comments and literal contents to spaces, keeping \\r and \\n at their offsets', () => {
      const src = "const a = 'x\\'y'; // note\r\n/* one\r\ntwo */ const b = `t${1}u`;\nexport const c = \"q\";\r\n";
      const { code, strings } = blankLiterals(src);
      assert.equal(code.length, src.length);
      assert.equal(code, "const a = '    ';        \r\n      \r\n       const b = `   1} `;\nexport const c = \" \";\r\n");
      assert.equal(strings.get(src.indexOf("'")), "x'y");
      assert.equal(strings.get(src.indexOf('"')), 'q');
    });

    it('reads the same exports whatever the literals around them', () => {
      const src = "// export function hidden() {}\nexport function shown() {}\nconst s = 'export const no = 1';\nexport * from \"./mod\";\n/* export class Gone {} */\nexport class Kept {}\n";
      assert.deepEqual([...scanExports(src)], [
        ['shown', 2],
        ["* from './mod'", 4],
        ['Kept', 6],
      ]);
    });
  });

  describe('JSON report', () => {
    const report = { schema: 'specgate.report/1', findings: [], changes: [{ path: 'a.ts', hunks: [] }] } as unknown as Report;

    it('is one line with pretty: false and indented by default, with the same content', () => {
      const compact = formatReport(report, 'json', { pretty: false });
      const pretty = formatReport(report, 'json');
      assert.equal(compact, `${JSON.stringify(report)}\n`);
      assert.equal(pretty, `${JSON.stringify(report, null, 2)}\n`);
      assert.deepEqual(JSON.parse(compact), JSON.parse(pretty));
    });
  });
});
