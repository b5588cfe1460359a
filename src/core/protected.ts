// Protected paths: files with a high blast radius (infrastructure, CI, lockfiles,
// migrations, secrets, git attributes, SpecGate's own config). Defaults by category, plus
// globs from the config, the spec and the editor settings.
import { isNegated } from './globMatch';
import { compileGlobs, type PathMatcher } from './scope';

export interface ProtectedCategory {
  category: string;
  globs: readonly string[];
  /** Paths the category's globs match that it does not protect (a `.env.example` template). The config can still protect them. */
  except?: readonly string[];
}

/** What a folder of manifests holds: not the source code of an app that happens to have a `charts/` or `k8s/` folder. */
const MANIFEST = '{yaml,yml,jsonnet,libsonnet,cue,tpl,env,toml}';
/** What a CloudFormation folder holds: templates, in YAML or JSON. */
const TEMPLATE = '{yaml,yml,json,template}';
/** What a migrations folder holds: migrations in SQL or code, not an app's `features/migrations/Wizard.tsx`. */
const MIGRATION = '{sql,py,rb,php,go,java,kt,scala,cs,ex,exs,xml,yaml,yml,sh,sum,hcl}';
/** JavaScript and TypeScript migrations are named by number or time (`20240101_add.ts`, `1700000000000-Drop.ts`, MikroORM's `Migration20240101.ts`): a state store's `migrations/index.ts` is app code. */
const JS_MIGRATION = '{[0-9]*,Migration[0-9]*}.{js,cjs,mjs,ts,cts,mts}';
const FILE_TYPES = new RegExp(`/\\*\\.(?:${[MANIFEST, MIGRATION, TEMPLATE].map((t) => t.replace(/[{}]/g, '\\$&')).join('|')})$|/\\{\\[0-9\\].*$`);

export const DEFAULT_PROTECTED: readonly ProtectedCategory[] = [
  {
    category: 'Terraform',
    globs: [
      '**/*.tf',
      '**/*.tfvars',
      '**/*.tf.json',
      '**/*.tfvars.json',
      '**/.terraform.lock.hcl',
      '**/terragrunt.hcl',
      // OpenTofu reads `.tofu` files as Terraform's; state files hold every resource, secrets in clear.
      '**/*.tofu',
      '**/*.tofu.json',
      '**/*.tfstate',
      '**/*.tfstate.backup',
    ],
  },
  {
    category: 'Pulumi/Bicep/Packer',
    globs: ['**/Pulumi.yaml', '**/Pulumi.yml', '**/Pulumi.*.yaml', '**/Pulumi.*.yml', '**/*.bicep', '**/*.bicepparam', '**/*.pkr.hcl', '**/*.pkr.json'],
  },
  {
    category: 'CloudFormation/CDK/SAM template',
    globs: [
      '**/*.template.json',
      '**/*.template.yaml',
      '**/*.template.yml',
      '**/template.yaml',
      '**/template.yml',
      '**/template.json',
      '**/samconfig.toml',
      '**/samconfig.yaml',
      '**/cdk.json',
      '**/cdk.context.json',
      `**/cloudformation/**/*.${TEMPLATE}`,
      `**/cfn/**/*.${TEMPLATE}`,
      '**/serverless.yml',
      '**/serverless.yaml',
    ],
  },
  {
    category: 'Kubernetes/Helm manifest',
    globs: [
      // Folders named for manifests, their manifests only: `src/components/charts/Line.tsx` is no chart.
      `**/k8s/**/*.${MANIFEST}`,
      `**/kubernetes/**/*.${MANIFEST}`,
      `**/helm/**/*.${MANIFEST}`,
      // A Helm chart by its parts: `charts/theme.json` in a dashboard is no chart.
      '**/charts/*/templates/**',
      '**/charts/*/crds/**',
      '**/charts/*/values*.{yaml,yml}',
      '**/charts/*/values.schema.json',
      '**/charts/*/Chart.lock',
      '**/charts/*/.helmignore',
      '**/Chart.yaml',
      // A chart's values, wherever the chart lives (its templates/ folder is too common a name to protect).
      '**/values.yaml',
      '**/values.yml',
      '**/values-*.yaml',
      '**/values-*.yml',
      '**/kustomization.yaml',
      '**/kustomization.yml',
      `**/kustomize/**/*.${MANIFEST}`,
      '**/skaffold.yaml',
      '**/helmfile.yaml',
    ],
  },
  {
    category: 'container build',
    globs: [
      '**/Dockerfile',
      '**/Dockerfile.*',
      '**/dockerfile',
      '**/*.Dockerfile',
      '**/*.dockerfile',
      '**/Containerfile',
      '**/docker-compose*.yml',
      '**/docker-compose*.yaml',
      '**/compose.yml',
      '**/compose.yaml',
      '**/.dockerignore',
    ],
  },
  {
    category: 'CI configuration',
    globs: [
      '.github/workflows/**',
      '.github/actions/**',
      '**/action.yml',
      '**/action.yaml',
      '.github/dependabot.yml',
      '.github/dependabot.yaml',
      '.gitlab-ci.yml',
      '**/*.gitlab-ci.yml',
      '.gitlab/**',
      '.circleci/**',
      '**/azure-pipelines*.yml',
      '**/azure-pipelines*.yaml',
      '.azure-pipelines/**',
      '**/buildspec.yml',
      '**/buildspec.yaml',
      '**/cloudbuild.yaml',
      '**/cloudbuild.yml',
      '**/cloudbuild.json',
      '**/Jenkinsfile',
      '**/Jenkinsfile.*',
      '.buildkite/**',
      '.travis.yml',
      'bitbucket-pipelines.yml',
      '.drone.yml',
      'appveyor.yml',
    ],
  },
  // Where the pre-commit gate runs: the folders husky and others use, a hook by its name in any
  // `hooks/` folder (one `core.hooksPath` names), and the hook managers' configs.
  {
    category: 'git hooks',
    globs: [
      '**/.husky/**',
      '.config/husky/**',
      '.githooks/**',
      '.git-hooks/**',
      ...['pre-commit', 'pre-push', 'commit-msg', 'prepare-commit-msg', 'pre-merge-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'post-rewrite'].map((hook) => `**/hooks/${hook}`),
      '.pre-commit-config.yaml',
      '**/{,.}lefthook{,-local}.{yml,yaml,json,toml}',
      '**/{,.}simple-git-hooks.{json,js,cjs,mjs}',
    ],
  },
  { category: 'code owners', globs: ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'] },
  // Who may merge, and what merges by itself: branch protection as code, merge bots, update bots' automerge.
  {
    category: 'repository settings',
    globs: ['.github/settings.yml', '.github/settings.yaml', '.github/rulesets/**', '.mergify.yml', '.github/mergify.yml', '.kodiak.toml', '.github/.kodiak.toml', 'renovate.json', 'renovate.json5', '.renovaterc', '.renovaterc.json', '.github/renovate.json', '.github/renovate.json5'],
  },
  {
    category: 'lockfile',
    globs: [
      '**/package-lock.json',
      '**/npm-shrinkwrap.json',
      '**/yarn.lock',
      '**/pnpm-lock.yaml',
      '**/bun.lock',
      '**/bun.lockb',
      '**/Cargo.lock',
      '**/go.sum',
      '**/poetry.lock',
      '**/Pipfile.lock',
      '**/uv.lock',
      '**/pdm.lock',
      '**/Gemfile.lock',
      '**/composer.lock',
      '**/mix.lock',
      '**/pubspec.lock',
      '**/Podfile.lock',
      '**/Package.resolved',
      '**/packages.lock.json',
      '**/gradle.lockfile',
      '**/flake.lock',
      '**/deno.lock',
    ],
  },
  // Rails and Django (`migrate`, `migrations`), Flyway and TypeORM (`migration`), Liquibase
  // (`db/changelog`), Alembic; the schema files Prisma and Rails apply from.
  {
    category: 'database migration',
    globs: [
      `**/migrations/**/*.${MIGRATION}`,
      `**/migrations/**/${JS_MIGRATION}`,
      `**/migration/**/*.${MIGRATION}`,
      `**/migration/**/${JS_MIGRATION}`,
      // Django and Alembic keep a package's migrations in `.py` files of any name; drizzle-kit its SQL and journal.
      '**/db/migrate/**',
      `**/migrate/**/*.sql`,
      '**/db/changelog/**',
      '**/alembic/versions/**',
      '**/drizzle/*.sql',
      '**/drizzle/meta/_journal.json',
      '**/schema.prisma',
      '**/db/schema.rb',
      '**/db/structure.sql',
    ],
    // A guide to a migration, and a migration's tests, change nothing in a database.
    except: ['**/docs/**', '**/*.{test,spec}.*', '**/__tests__/**', '**/*.md'],
  },
  // Run by an AI assistant on its own (a hook on every save or prompt, a tool server it
  // starts), or what it may do without asking.
  {
    category: 'AI assistant hooks or tool servers',
    globs: [
      '.kiro/hooks/**',
      '.kiro/settings/mcp.json',
      '.claude/settings.json',
      '.claude/settings.local.json',
      '.claude/hooks/**',
      '**/.mcp.json',
      '.vscode/mcp.json',
      '.cursor/mcp.json',
      '.cursor/hooks.json',
      '.gemini/settings.json',
      '.amazonq/mcp.json',
      '.roo/mcp.json',
      '.continue/config.{json,yaml}',
      '.codex/config.toml',
    ],
  },
  // Run when someone opens the folder or builds its container, or installs its packages from elsewhere.
  {
    category: 'editor tasks, dev container or package manager configuration',
    globs: ['.vscode/tasks.json', '.devcontainer/**', '**/.devcontainer.json', '**/.yarnrc', '**/.yarnrc.yml', '**/.pnpmfile.cjs', '**/pip.conf', '.cargo/config.toml', '.cargo/config', '**/nuget.config', '**/NuGet.Config'],
  },
  {
    category: 'secrets or environment',
    globs: [
      // `.env`, `.env.production`, `.env-production`, `.env_prod`, `.envrc`, `production.env`;
      // not a template of one (below).
      '**/.env*',
      '**/*.env',
      '**/*.pem',
      '**/*.key',
      '**/*.p12',
      '**/*.pfx',
      '**/*.jks',
      '**/*.keystore',
      '**/id_rsa*',
      '**/id_dsa*',
      '**/id_ecdsa*',
      '**/id_ed25519*',
      '**/.npmrc',
      '**/.pypirc',
      '**/.netrc',
      '**/.sops.yaml',
      '**/.git-credentials',
      '**/.docker/config.json',
      '**/.kube/config',
      '**/kubeconfig',
      '**/kubeconfig.{yaml,yml}',
      // Google service-account keys, Firebase admin keys, OAuth client secrets.
      '**/*service-account*.json',
      '**/*-adminsdk-*.json',
      '**/client_secret*.json',
      '**/credentials.json',
    ],
    // A template every project documents its variables in: what is written there is read by
    // SG303/SG101 like other files.
    except: ['**/.env*.example', '**/.env*.sample', '**/.env*.template', '**/.env*.dist', '**/*.env.example', '**/*.env.sample', '**/{example,sample,template}.env'],
  },
  { category: 'git configuration', globs: ['**/.gitattributes', '.gitmodules'] },
  { category: 'SpecGate configuration', globs: ['.specgate/**'] },
];

export interface ProtectedMatch {
  glob: string;
  category: string;
}

export interface ProtectedMatcher {
  test(path: string): boolean;
  /** Which category and glob protect the path (for messages). */
  match(path: string): ProtectedMatch | undefined;
}

/**
 * Compiles the defaults plus extra globs (config, spec, settings) into one matcher. An extra
 * glob written `!glob` un-protects (see compileGlobs): a path is protected when a default or
 * extra glob matches it and no `!` glob does. Only the config's list may hold one: the spec
 * parser drops a spec's (a spec problem) and the editor setting's are not read.
 */
export function compileProtected(extra: readonly string[] = []): ProtectedMatcher {
  // A category's exceptions take only its defaults away: the config's own globs still protect them.
  // Every path meets one matcher of all the defaults; only a hit that a category's exception
  // also matches (rare) is settled category by category.
  const every = compileGlobs(DEFAULT_PROTECTED.flatMap((c) => c.globs));
  const anyExcept = compileGlobs(DEFAULT_PROTECTED.flatMap((c) => c.except ?? []));
  let excepting: PathMatcher[] | undefined;
  const exactly = (path: string) => {
    excepting ??= DEFAULT_PROTECTED.map((c) => compileGlobs([...c.globs, ...(c.except ?? []).map((g) => `!${g}`)]));
    return excepting.some((m) => m.test(path));
  };
  const defaults = (path: string) => every.test(path) && (!anyExcept.test(path) || exactly(path));
  const added = extra.filter((g) => !isNegated(g));
  const taken = extra.filter(isNegated).map((g) => g.trim().slice(1));
  const configured = added.length > 0 ? compileGlobs(added) : undefined;
  const unprotected = taken.length > 0 ? compileGlobs(taken) : undefined;
  const all = { test: (path: string) => (defaults(path) || configured?.test(path) === true) && unprotected?.test(path) !== true };
  // Per-category matchers only name the glob of a hit: compiled on the first one.
  let categories: { category: string; m: PathMatcher }[] | undefined;
  const byCategory = () => {
    if (categories) return categories;
    categories = DEFAULT_PROTECTED.map((c) => ({ category: c.category, m: compileGlobs([...c.globs, ...(c.except ?? []).map((g) => `!${g}`)]) }));
    if (extra.length > 0) categories.push({ category: 'configured protected path', m: compileGlobs(extra) });
    return categories;
  };
  return {
    test: (path) => all.test(path),
    match(path) {
      if (!all.test(path)) return undefined;
      for (const c of byCategory()) {
        const glob = c.m.which(path);
        // A folder's glob is named without the file types it is limited to (`**/charts/**`).
        if (glob) return { glob: glob.replace(FILE_TYPES, ''), category: c.category };
      }
      return undefined;
    },
  };
}
