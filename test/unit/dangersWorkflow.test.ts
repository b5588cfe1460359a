// A CI change's supply chain (core/dangers.ts): an action unpinned from a commit, a third-party
// action new to a workflow given secrets, every secret handed to another repository's workflow,
// a script downloaded and run, GitLab CI configuration included from another server or an
// unpinned project, a token given more to write, and a gate workflow that now runs
// on fewer pull requests. Each only when new: a re-pin, a version bump, a moved step, a comment
// are quiet.
import { strict as assert } from 'node:assert';
import type { Report } from '../../src/core/model';
import { analyzeRepository } from '../../src/node/engine';
import { edit, found, lines } from './helpers/dangerChange';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { isolateGitConfig } from './helpers/isolatedGit';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const SHA2 = '11bd71901bbe5b1630ceea73d27597364c9af683';
const WF = '.github/workflows/ci.yml';
const ci = (...steps: string[]) => lines('on: [pull_request]', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', ...steps);
const UNPINNED = (a: string, ref: string) => `(warning) unpins \`${a}\` from a commit to \`${ref}\`: whoever controls that tag or branch decides what runs`;
const DOWNLOADED = (cmd: string) => `(warning) runs a script downloaded at run time, unpinned (\`${cmd}\`): whatever the address serves then runs, unreviewed`;

describe('dangers in a CI change: its supply chain', () => {
  describe('an action unpinned from a commit', () => {
    const pinned = ci(`      - uses: actions/checkout@${SHA} # v4`, `      - uses: someone/setup-thing@${SHA2}`, '      - run: npm test');

    it('a commit replaced by a tag or a branch, for the same action', () => {
      const after = pinned.replace(`actions/checkout@${SHA} # v4`, 'actions/checkout@v4').replace(`someone/setup-thing@${SHA2}`, 'someone/setup-thing@main');
      assert.deepEqual(found(edit(WF, pinned, after)), { [WF]: [`new:6 ${UNPINNED('actions/checkout', 'v4')}`, `new:7 ${UNPINNED('someone/setup-thing', 'main')}`] });
    });

    it('not re-pinned to another commit, a version bump of an action never pinned, a local action, an image, a step moved', () => {
      assert.deepEqual(found(edit(WF, pinned, pinned.replace(SHA, SHA2))), {});
      const loose = ci('      - uses: actions/setup-node@v3', '      - uses: ./.github/actions/build', '      - uses: docker://alpine:3.19');
      assert.deepEqual(found(edit(WF, loose, loose.replace('@v3', '@v4').replace('build', 'build2').replace('3.19', '3.20'))), {});
      const moved = ci('      - run: npm test', `      - uses: someone/setup-thing@${SHA2}`, `      - uses: actions/checkout@${SHA} # v4`);
      assert.deepEqual(found(edit(WF, pinned, moved)), {});
      // A second use of the action, at a tag, beside the pinned one kept: not an unpin.
      assert.deepEqual(found(edit(WF, pinned, pinned + lines('      - uses: actions/checkout@v4'))), {});
    });

    it('not a comment naming the tag', () => {
      assert.deepEqual(found(edit(WF, pinned, pinned.replace(`      - uses: actions/checkout@${SHA} # v4`, `      - uses: actions/checkout@${SHA} # v4\n      # - uses: actions/checkout@v4`))), {});
    });
  });

  describe('secrets given to a third party', () => {
    const base = ci('      - uses: actions/checkout@v4', '      - run: npm run build');

    it("a new third-party action with a secret in its `with:` or `env:`; a reusable workflow of another repository given `secrets: inherit`", () => {
      const deploy = base + lines('      - name: Deploy', '        uses: someone/deploy-action@v2', '        with:', '          token: ${{ secrets.DEPLOY_TOKEN }}');
      assert.deepEqual(found(edit(WF, base, deploy)), {
        [WF]: ['new:9 (warning) gives `secrets.DEPLOY_TOKEN` to `someone/deploy-action`, a third-party action new to this workflow: whatever code that ref holds can read it'],
      });
      const env = base + lines('      - uses: other/notify@v1', '        env:', '          SLACK: "${{ secrets.SLACK_WEBHOOK }}"');
      assert.deepEqual(found(edit(WF, base, env)), {
        [WF]: ['new:8 (warning) gives `secrets.SLACK_WEBHOOK` to `other/notify`, a third-party action new to this workflow: whatever code that ref holds can read it'],
      });
      const call = base + lines('  release:', '    uses: acme/shared/.github/workflows/release.yml@main', '    secrets: inherit');
      assert.deepEqual(found(edit(WF, base, call)), {
        [WF]: ['new:10 (warning) passes every secret (`secrets: inherit`) to `acme/shared/.github/workflows/release.yml`, a workflow of another repository: whatever it runs can read them'],
      });
    });

    it('not GitHub\'s own actions, an owner the workflow used already, an action with no secret or only the job\'s token, a local workflow, a step moved from another workflow', () => {
      assert.deepEqual(found(edit(WF, base, base.replace('checkout@v4', 'checkout@v4\n        with:\n          token: ${{ secrets.BOT_TOKEN }}'))), {});
      const owned = ci('      - uses: someone/setup@v1', '      - run: npm test');
      assert.deepEqual(found(edit(WF, owned, owned + lines('      - uses: someone/deploy@v1', '        with:', '          key: ${{ secrets.KEY }}'))), {});
      assert.deepEqual(found(edit(WF, base, base + lines('      - uses: someone/lint@v1', '        with:', '          strict: true'))), {});
      // The job's token, which an action has anyway (an input defaulting to `github.token`).
      assert.deepEqual(found(edit(WF, base, base + lines('      - uses: softprops/action-gh-release@v2', '        with:', '          token: ${{ secrets.GITHUB_TOKEN }}'))), {});
      assert.deepEqual(found(edit(WF, base, base + lines('  release:', '    uses: ./.github/workflows/release.yml', '    secrets: inherit'))), {});
      const step = lines('      - uses: someone/deploy-action@v2', '        with:', '          token: ${{ secrets.DEPLOY_TOKEN }}');
      assert.deepEqual(found(edit(WF, base + step, base), edit('.github/workflows/deploy.yml', undefined, ci(...step.trimEnd().split('\n')))), {});
      // `secrets: inherit` kept while the job is re-indented or its ref bumped.
      const call = base + lines('  release:', '    uses: acme/shared/.github/workflows/release.yml@v1', '    secrets: inherit');
      assert.deepEqual(found(edit(WF, call, call.replace('@v1', '@v2'))), {});
    });
  });

  describe('a script downloaded and run', () => {
    const base = ci('      - uses: actions/checkout@v4', '      - run: npm test');

    it('curl or wget piped into a shell, bash <(curl), sh -c "$(curl)", iex (irm), in a run line or a `run: |` block', () => {
      const after = base + lines(
        '      - run: curl -fsSL https://get.example.com/install.sh | sh',
        '      - run: |',
        '          set -e',
        '          wget -qO- https://tools.example.org/setup | sudo -E bash -s -- --yes',
        '          bash <(curl -s https://a.example.net/x.sh)',
        '          sh -c "$(curl -fsSL https://b.example.net/i.sh)"',
        '      - shell: pwsh',
        '        run: iex (irm https://c.example.net/install.ps1)',
        '      - run: irm https://d.example.net/i.ps1 | iex',
      );
      assert.deepEqual(found(edit(WF, base, after)), {
        [WF]: [
          `new:8 ${DOWNLOADED('curl -fsSL https://get.example.com/install.sh | sh')}`,
          `new:11 ${DOWNLOADED('wget -qO- https://tools.example.org/setup | sudo -E bash -s -- --yes')}`,
          `new:12 ${DOWNLOADED('bash <(curl -s https://a.example.net/x.sh)')}`,
          `new:13 ${DOWNLOADED('sh -c "$(curl -fsSL https://b.example.net/i.sh)"')}`,
          `new:15 ${DOWNLOADED('iex (irm https://c.example.net/install.ps1)')}`,
          `new:16 ${DOWNLOADED('irm https://d.example.net/i.ps1 | iex')}`,
        ],
      });
    });

    it('a command split over lines with `\\`, in a shell script, a Makefile or GitLab CI', () => {
      const split = base + lines('      - run: |', '          curl -fsSL \\', '            https://get.example.com/install.sh | bash');
      assert.deepEqual(found(edit(WF, base, split)), { [WF]: [`new:9 ${DOWNLOADED('curl -fsSL https://get.example.com/install.sh | bash')}`] });
      assert.deepEqual(found(edit('scripts/setup.sh', lines('#!/bin/sh', 'npm ci'), lines('#!/bin/sh', 'curl -sSf https://sh.rustup.rs | sh -s -- -y', 'npm ci'))), {
        'scripts/setup.sh': [`new:2 ${DOWNLOADED('curl -sSf https://sh.rustup.rs | sh -s -- -y')}`],
      });
      assert.deepEqual(found(edit('Makefile', lines('setup:', '\tnpm ci'), lines('setup:', '\tcurl -sL https://x.example.com/i | bash', '\tnpm ci'))), {
        Makefile: [`new:2 ${DOWNLOADED('curl -sL https://x.example.com/i | bash')}`],
      });
      const gitlab = lines('test:', '  script:', '    - npm test');
      assert.deepEqual(found(edit('.gitlab-ci.yml', gitlab, gitlab.replace('    - npm test', '    - curl https://x.example.com/i | sh\n    - npm test'))), {
        '.gitlab-ci.yml': [`new:3 ${DOWNLOADED('curl https://x.example.com/i | sh')}`],
      });
    });

    it('not a download saved and checked, a pipe into sha256sum or jq, a comment, an echo, a step name, the same command moved or its version bumped', () => {
      const checked = base + lines(
        '      - run: |',
        '          curl -fsSLo install.sh https://get.example.com/v1.2/install.sh',
        '          echo "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  install.sh" | sha256sum -c',
        '          sh install.sh',
        '          curl -s https://api.example.com/x | jq .',
        '          curl -s https://api.example.com/x | python3 -m json.tool',
        '          # curl -fsSL https://get.example.com/install.sh | sh',
        '          echo "install: curl -fsSL https://get.example.com/install.sh | sh"',
        '      - name: curl | sh the tool',
        '        run: true',
      );
      assert.deepEqual(found(edit(WF, base, checked)), {});
      const old = ci('      - run: curl -fsSL https://get.example.com/v1/install.sh | sh', '      - run: npm test');
      assert.deepEqual(found(edit(WF, old, ci('      - run: npm test', '      - run: curl -fsSL https://get.example.com/v1/install.sh | sh'))), {});
      assert.deepEqual(found(edit(WF, old, old.replace('/v1/', '/v2/'))), {});
      assert.deepEqual(found(edit('scripts/setup.sh', lines('npm ci'), lines('npm ci', '# Install: curl -fsSL https://x.example.com/i | sh'))), {});
    });

    it("not the instructions a Makefile's @echo or a script's `cat` here-document prints; a here-document fed to a shell, or cat writing a script, runs", () => {
      assert.deepEqual(found(edit('Makefile', lines('help:', '\t@echo hi'), lines('help:', '\t@echo "Install: curl -sSL https://x.example.com/i.sh | bash"', '\t-@echo "or: curl -sSL https://x.example.com/i.sh | sh"'))), {});
      const usage = lines('#!/bin/sh', 'if ! command -v tool >/dev/null; then', "  cat >&2 <<'EOF'", 'tool is missing. Install it:', '  curl -fsSL https://x.example.com/i.sh | sh', 'EOF', '  exit 1', 'fi');
      assert.deepEqual(found(edit('scripts/check.sh', undefined, usage)), {});
      const summary = base + lines('      - run: |', '          cat <<EOF >> "$GITHUB_STEP_SUMMARY"', '          curl -fsSL https://x.example.com/i.sh | sh', '          EOF');
      assert.deepEqual(found(edit(WF, base, summary)), {});
      // After the here-document, and in one a shell reads, it runs.
      const after = usage + lines('curl -fsSL https://get.example.com/i.sh | sh');
      assert.deepEqual(found(edit('scripts/check.sh', undefined, after)), { 'scripts/check.sh': [`new:9 ${DOWNLOADED('curl -fsSL https://get.example.com/i.sh | sh')}`] });
      const su = lines('#!/bin/sh', 'su - builder <<"EOF"', 'curl -fsSL https://get.example.com/i.sh | sh', 'EOF');
      assert.deepEqual(found(edit('scripts/user.sh', undefined, su)), { 'scripts/user.sh': [`new:3 ${DOWNLOADED('curl -fsSL https://get.example.com/i.sh | sh')}`] });
      const written = lines('#!/bin/sh', 'cat > /tmp/boot.sh <<EOF', 'curl -fsSL https://get.example.com/i.sh | sh', 'EOF', 'sh /tmp/boot.sh');
      assert.deepEqual(found(edit('scripts/boot.sh', undefined, written)), { 'scripts/boot.sh': [`new:3 ${DOWNLOADED('curl -fsSL https://get.example.com/i.sh | sh')}`] });
    });
  });

  describe('GitLab CI configuration included from outside', () => {
    const GL = '.gitlab-ci.yml';
    const job = lines('stages: [test]', 'test:', '  script:', '    - npm test');
    const REMOTE = (url: string) => `(warning) includes CI configuration from another server (\`${url}\`): whatever the address serves when a pipeline starts becomes part of it, with the project's variables and secrets, unreviewed`;
    const PROJECT = (p: string, ref: string) => `(warning) includes CI configuration from the project \`${p}\` at ${ref}, not a commit: whoever can push there decides what runs in this project's pipelines, with their variables and secrets`;

    it('a remote include, a URL as a plain string, another project at a branch, a tag or none: warnings', () => {
      const after = lines(
        'include:',
        "  - remote: 'https://ci.example.com/templates/build.yml'",
        "  - 'https://ci.example.net/lint.yml'",
        '  - project: group/ci-templates',
        '    ref: main',
        '    file: /templates/deploy.yml',
        '  - project: group/other',
        '    file: [/a.yml, /b.yml]',
      ) + job;
      assert.deepEqual(found(edit(GL, job, after)), {
        [GL]: [
          `new:2 ${REMOTE('https://ci.example.com/templates/build.yml')}`,
          `new:3 ${REMOTE('https://ci.example.net/lint.yml')}`,
          `new:4 ${PROJECT('group/ci-templates', '`main`')}`,
          `new:7 ${PROJECT('group/other', 'its default branch')}`,
        ],
      });
      // The other forms: one string, one mapping, a flow list, a flow mapping.
      assert.deepEqual(found(edit(GL, job, lines("include: 'https://a.example.com/ci.yml'") + job)), { [GL]: [`new:1 ${REMOTE('https://a.example.com/ci.yml')}`] });
      assert.deepEqual(found(edit(GL, job, lines('include:', '  remote: https://b.example.com/ci.yml') + job)), { [GL]: [`new:2 ${REMOTE('https://b.example.com/ci.yml')}`] });
      assert.deepEqual(found(edit(GL, job, lines("include: ['https://c.example.com/ci.yml', '/ci/local.yml']") + job)), { [GL]: [`new:1 ${REMOTE('https://c.example.com/ci.yml')}`] });
      assert.deepEqual(found(edit(GL, job, lines('include: { project: g/p, ref: v1.2.0, file: /x.yml }') + job)), { [GL]: [`new:1 ${PROJECT('g/p', '`v1.2.0`')}`] });
    });

    it('a project include moved off its commit, an integrity hash taken off a remote one: warnings', () => {
      const pinned = lines('include:', '  - project: group/ci-templates', `    ref: ${SHA}`, '    file: /deploy.yml') + job;
      assert.deepEqual(found(edit(GL, pinned, pinned.replace(SHA, 'v2'))), { [GL]: [`new:3 ${PROJECT('group/ci-templates', '`v2`')}`] });
      const checked = lines('include:', '  - remote: https://ci.example.com/x.yml', '    integrity: sha256-L3+Rd9WxnA1mvMg0kBEZkFMYFJc2HLV7lu0ZIGGmXXA=') + job;
      assert.deepEqual(found(edit(GL, checked, checked.replace(/ {4}integrity:.*\n/, ''))), { [GL]: [`new:2 ${REMOTE('https://ci.example.com/x.yml')}`] });
    });

    it('in a file a GitLab CI file includes (by its local path or a glob), or one under .gitlab/; not in other YAML', () => {
      const root = lines('include:', '  - local: /ci/*.yml') + job;
      const remote = lines('include:', '  - remote: https://d.example.com/x.yml') + job;
      assert.deepEqual(found(edit(GL, root, root), edit('ci/build.yml', job, remote), edit('.gitlab/ci/deploy.yml', job, remote), edit('config/app.yml', job, remote)), {
        'ci/build.yml': [`new:2 ${REMOTE('https://d.example.com/x.yml')}`],
        '.gitlab/ci/deploy.yml': [`new:2 ${REMOTE('https://d.example.com/x.yml')}`],
      });
    });

    it('quiet: pinned to a commit (or re-pinned), checked by its hash, a version bump of one the base had, local and template includes, a move, a comment', () => {
      const pinned = lines('include:', '  - project: group/ci-templates', `    ref: ${SHA}`, '    file: /deploy.yml', '  - remote: https://ci.example.com/v1/x.yml', '    integrity: sha256-abc=') + job;
      assert.deepEqual(found(edit(GL, job, pinned)), {});
      assert.deepEqual(found(edit(GL, pinned, pinned.replace(SHA, SHA2))), {});
      const loose = lines('include:', '  - project: group/ci-templates', '    ref: v1', '    file: /deploy.yml', '  - remote: https://ci.example.com/v1/x.yml') + job;
      assert.deepEqual(found(edit(GL, loose, loose.replace('ref: v1', 'ref: v2').replace('/v1/', '/v2/'))), {});
      const [inc, a, b, c, d] = loose.trimEnd().split('\n');
      assert.deepEqual(found(edit(GL, loose, lines(inc!, d!, a!, b!, c!) + job)), {});
      assert.deepEqual(found(edit(GL, job, lines('include:', '  - local: /ci/build.yml', '  - template: Auto-DevOps.gitlab-ci.yml', '  # - remote: https://x.example.com/ci.yml') + job)), {});
    });
  });

  describe('GitLab CI/CD components (`include: component:`)', () => {
    const GL = '.gitlab-ci.yml';
    const job = lines('stages: [test]', 'test:', '  script:', '    - npm test');
    const C = '$CI_SERVER_FQDN/security/scanners/secret-detection';
    const COMPONENT = (at: string) => `(warning) includes the CI/CD component \`${C}\` at ${at}, not a commit: whoever can publish or push to its project decides what runs in this project's pipelines, with their variables and secrets`;
    const withComponent = (version: string, ...rest: string[]) => lines('include:', `  - component: ${C}@${version}`, '    inputs:', '      stage: test', ...rest) + job;

    it('a new component at a release, `~latest`, a partial version or a branch: a warning at its line', () => {
      assert.deepEqual(found(edit(GL, job, withComponent('1.2.0'))), { [GL]: [`new:2 ${COMPONENT('the release `1.2.0`')}`] });
      assert.deepEqual(found(edit(GL, job, withComponent('~latest'))), { [GL]: [`new:2 ${COMPONENT('`~latest` (its newest release whenever a pipeline starts)')}`] });
      assert.deepEqual(found(edit(GL, job, withComponent('1.2'))), { [GL]: [`new:2 ${COMPONENT('`1.2` (its newest matching release whenever a pipeline starts)')}`] });
      assert.deepEqual(found(edit(GL, job, withComponent('main'))), { [GL]: [`new:2 ${COMPONENT('`main`, a branch or tag')}`] });
      // As a flow mapping, and in a child pipeline's trigger.
      assert.deepEqual(found(edit(GL, job, lines(`include: { component: "${C}@main" }`) + job)), { [GL]: [`new:1 ${COMPONENT('`main`, a branch or tag')}`] });
      const child = lines('deploy:', '  trigger:', '    include:', `      - component: ${C}@~latest`);
      assert.deepEqual(found(edit(GL, job, job + child)), { [GL]: [`new:8 ${COMPONENT('`~latest` (its newest release whenever a pipeline starts)')}`] });
    });

    it('moved off its commit, or from a release to `~latest` or a branch: a warning at the changed line', () => {
      const pinned = withComponent(SHA);
      assert.deepEqual(found(edit(GL, pinned, pinned.replace(SHA, '1.3.0'))), { [GL]: [`new:2 ${COMPONENT('the release `1.3.0`')}`] });
      const release = withComponent('1.2.0');
      assert.deepEqual(found(edit(GL, release, release.replace('@1.2.0', '@~latest'))), { [GL]: [`new:2 ${COMPONENT('`~latest` (its newest release whenever a pipeline starts)')}`] });
      assert.deepEqual(found(edit(GL, release, release.replace('@1.2.0', '@main'))), { [GL]: [`new:2 ${COMPONENT('`main`, a branch or tag')}`] });
    });

    it('quiet: pinned to a commit (or re-pinned), a release bumped, `~latest` pinned to a release, a component of this project, a move', () => {
      assert.deepEqual(found(edit(GL, job, withComponent(SHA))), {});
      assert.deepEqual(found(edit(GL, withComponent(SHA), withComponent(SHA2))), {});
      assert.deepEqual(found(edit(GL, withComponent('1.2.0'), withComponent('1.3.0'))), {});
      assert.deepEqual(found(edit(GL, withComponent('~latest'), withComponent('1.3.0'))), {});
      assert.deepEqual(found(edit(GL, withComponent('1'), withComponent('~latest'))), {});
      assert.deepEqual(found(edit(GL, job, lines('include:', '  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/build@$CI_COMMIT_SHA') + job)), {});
      const two = lines('include:', '  - local: /ci/build.yml', `  - component: ${C}@1.2.0`) + job;
      assert.deepEqual(found(edit(GL, two, lines('include:', `  - component: ${C}@1.2.0`, '  - local: /ci/build.yml') + job)), {});
    });

    it('read with the yaml library: a file with a `spec:` header and its configuration after `---`; a ref written as a number stays text', () => {
      const header = lines('spec:', '  inputs:', '    stage:', '      default: test', '---');
      assert.deepEqual(found(edit(GL, header + job, header + lines('include:', `  - component: ${C}@1.2`) + job)), { [GL]: [`new:7 ${COMPONENT('`1.2` (its newest matching release whenever a pipeline starts)')}`] });
      const pinned = lines('include:', '  - project: group/ci', '    ref: 1.10', '    file: /x.yml') + job;
      assert.deepEqual(found(edit(GL, job, pinned)), { [GL]: ["new:2 (warning) includes CI configuration from the project `group/ci` at `1.10`, not a commit: whoever can push there decides what runs in this project's pipelines, with their variables and secrets"] });
      // A text that does not parse where the include is: nothing read, nothing thrown.
      assert.deepEqual(found(edit(GL, job, lines('include:', '  - component: [unclosed', `    - ${C}@main`) + job)), {});
    });

    describe('in a git repository', function () {
      this.timeout(60_000);
      isolateGitConfig();
      let repo: TestRepo;
      afterEach(() => repo?.cleanup());

      it('a component moved from a release to `~latest` in a file under `.gitlab/` is reported by SG210 at its line (a protected path: an error, no task names it)', async () => {
        const SPEC = lines('---', 'scope: ["src/**"]', '---', '# App', '', '## Tasks', '- [ ] 1. Build `src/app.ts`');
        repo = await makeRepo({ 'docs/spec.md': SPEC, '.gitlab-ci.yml': lines('include:', '  - local: /.gitlab/ci/*.yml') + job, '.gitlab/ci/scan.yml': withComponent('1.2.0'), 'src/app.ts': lines('export {};') });
        await repo.write('.gitlab/ci/scan.yml', withComponent('~latest'));
        const { report } = await analyzeRepository({ cwd: repo.root });
        const sg210 = (report as Report).findings.filter((f) => f.rule === 'SG210').map((f) => `${f.severity} ${f.path}:${f.startLine} ${f.message}`);
        assert.deepEqual(sg210, [
          "error .gitlab/ci/scan.yml:2 Protected path (CI configuration, `.gitlab/**`): modified file with a high blast radius. It includes the CI/CD component `$CI_SERVER_FQDN/security/scanners/secret-detection` at `~latest` (its newest release whenever a pipeline starts), not a commit: whoever can publish or push to its project decides what runs in this project's pipelines, with their variables and secrets (line 2).",
        ]);
      });
    });
  });

  describe('a token given more to write', () => {
    it('contents, id-token, packages or actions: write where the base had read or none, for every job or for one', () => {
      const base = lines('on: [push]', 'permissions:', '  contents: read', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:', '      - run: ./deploy');
      const after = base.replace('  contents: read', '  contents: write').replace('    runs-on:', '    permissions: { id-token: write, packages: write }\n    runs-on:');
      assert.deepEqual(found(edit(WF, base, after)), {
        [WF]: [
          "new:3 (warning) grants `contents: write` to every job's token: its steps can push commits and tags, and publish releases",
          'new:6 (warning) grants `id-token: write` to the token of the job `deploy`: its steps can get OIDC tokens, which the cloud roles that trust this repository accept',
          "new:6 (warning) grants `packages: write` to the token of the job `deploy`: its steps can publish and overwrite the repository's packages",
        ],
      });
      // The job had a block of its own (read-all): a write in it widens the token.
      const own = lines('on: [push]', 'jobs:', '  x:', '    permissions: read-all', '    runs-on: ubuntu-latest', '    steps:', '      - run: true');
      assert.deepEqual(found(edit(WF, own, own.replace('    permissions: read-all', '    permissions:\n      actions: write'))), {
        [WF]: ['new:5 (warning) grants `actions: write` to the token of the job `x`: its steps can start, cancel and re-run workflows, and delete their caches and artifacts'],
      });
    });

    it("a first block where neither the workflow nor the job had one: a note naming its writes, since the repository's default applied before", () => {
      const none = lines('on: [push]', 'jobs:', '  x:', '    runs-on: ubuntu-latest', '    steps:', '      - run: true');
      assert.deepEqual(found(edit(WF, none, none.replace('    runs-on:', '    permissions:\n      actions: write\n    runs-on:'))), {
        [WF]: ["new:4 (info) sets `permissions:` for the token of the job `x`, where the repository's default applied before (it may already write everything): the token can now write only `actions`"],
      });
      const top = none.replace('jobs:', 'permissions:\n  contents: write\n  checks: write\n  pull-requests: read\njobs:');
      assert.deepEqual(found(edit(WF, none, top)), {
        [WF]: ["new:2 (info) sets `permissions:` for every job's token, where the repository's default applied before (it may already write everything): the token can now write only `contents` and `checks`"],
      });
      assert.deepEqual(found(edit(WF, undefined, none.replace('    runs-on:', '    permissions: { contents: write, id-token: write }\n    runs-on:'))), {
        [WF]: ["new:4 (info) sets `permissions:` for the token of the job `x`, where the repository's default would apply without them (it may write everything): the token can write only `contents` and `id-token`"],
      });
      // Beside a job that had a block: that job's new write is a warning, the other job's first block a note.
      const two = lines('on: [push]', 'jobs:', '  x:', '    permissions:', '      contents: read', '    runs-on: ubuntu-latest', '  y:', '    runs-on: ubuntu-latest');
      const both = two.replace('      contents: read', '      contents: read\n      packages: write').replace('  y:\n', '  y:\n    permissions:\n      packages: write\n');
      assert.deepEqual(found(edit(WF, two, both)), {
        [WF]: [
          "new:6 (warning) grants `packages: write` to the token of the job `x`: its steps can publish and overwrite the repository's packages",
          "new:9 (info) sets `permissions:` for the token of the job `y`, where the repository's default applied before (it may already write everything): the token can now write only `packages`",
        ],
      });
      // A first block that writes none of the scopes read (only `checks`): quiet, as before.
      assert.deepEqual(found(edit(WF, none, none.replace('    runs-on:', '    permissions:\n      checks: write\n    runs-on:'))), {});
    });

    it('not a write the base had (moved to the job), a scope not listed, write-all taken away, a comment', () => {
      const wide = lines('on: [push]', 'permissions:', '  contents: write', 'jobs:', '  x:', '    runs-on: ubuntu-latest');
      assert.deepEqual(found(edit(WF, wide, lines('on: [push]', 'jobs:', '  x:', '    permissions:', '      contents: write', '    runs-on: ubuntu-latest'))), {});
      assert.deepEqual(found(edit(WF, wide, wide.replace('jobs:', '  checks: write\n  security-events: write\njobs:'))), {});
      assert.deepEqual(found(edit(WF, wide.replace('permissions:\n  contents: write', 'permissions: write-all'), wide.replace('contents: write', 'contents: write\n  packages: write'))), {});
      assert.deepEqual(found(edit(WF, wide, wide.replace('  contents: write', '  contents: write\n  # id-token: write'))), {});
    });
  });

  describe("a gate workflow on fewer pull requests", () => {
    const gate = lines('on:', '  pull_request:', '    branches: [main]', 'jobs:', '  gate:', '    runs-on: ubuntu-latest', '    steps:', '      - run: npx --no-install specgate verify --base refs/remotes/origin/main');

    it('paths added to its pull_request trigger; its pull_request trigger taken out', () => {
      assert.deepEqual(found(edit(WF, gate, gate.replace('    branches: [main]', '    branches: [main]\n    paths: [src/**]'))), {
        [WF]: ["new:4 (warning) limits which pull requests run SpecGate's gate (`paths: [src/**]`): those it leaves out are not checked"],
      });
      assert.deepEqual(found(edit(WF, gate, gate.replace('  pull_request:\n    branches: [main]', '  push:\n    branches: [main]'))), {
        [WF]: ["new:1 (warning) stops running SpecGate's gate on pull requests (no `pull_request` trigger left): they are no longer checked"],
      });
    });

    it('not a new gate workflow with its branches, a filter on a workflow with no gate, a branch list edited', () => {
      assert.deepEqual(found(edit(WF, undefined, gate)), {});
      const other = gate.replace('npx --no-install specgate verify --base refs/remotes/origin/main', 'npm test');
      assert.deepEqual(found(edit(WF, other, other.replace('    branches: [main]', '    branches: [main]\n    paths-ignore: [docs/**]'))), {});
      assert.deepEqual(found(edit(WF, gate, gate.replace('[main]', '[main, release]'))), {});
    });
  });
});
