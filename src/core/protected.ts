// Protected paths: files with a high blast radius (infrastructure, CI, lockfiles,
// migrations, secrets, git attributes, SpecGate's own config). Defaults by category, plus
// globs from the config, the spec and the editor settings.
import { compileGlobs, type PathMatcher } from './scope';

export interface ProtectedCategory {
  category: string;
  globs: readonly string[];
}

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
      '**/*.template',
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
      '**/cloudformation/**',
      '**/cfn/**',
      '**/serverless.yml',
      '**/serverless.yaml',
    ],
  },
  {
    category: 'Kubernetes/Helm manifest',
    globs: [
      '**/k8s/**',
      '**/kubernetes/**',
      '**/helm/**',
      '**/charts/**',
      '**/Chart.yaml',
      // A chart's values, wherever the chart lives (its templates/ folder is too common a name to protect).
      '**/values.yaml',
      '**/values.yml',
      '**/values-*.yaml',
      '**/values-*.yml',
      '**/kustomization.yaml',
      '**/kustomization.yml',
      '**/kustomize/**',
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
      '.husky/**',
      '.githooks/**',
      '.pre-commit-config.yaml',
    ],
  },
  { category: 'code owners', globs: ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'] },
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
    globs: ['**/migrations/**', '**/migrate/**', '**/migration/**', '**/db/changelog/**', '**/alembic/versions/**', '**/schema.prisma', '**/db/schema.rb', '**/db/structure.sql'],
  },
  // Run when someone opens the folder or builds its container, or installs its packages from elsewhere.
  {
    category: 'editor tasks, dev container or package manager configuration',
    globs: ['.vscode/tasks.json', '.devcontainer/**', '**/.devcontainer.json', '**/.yarnrc', '**/.yarnrc.yml', '**/.pnpmfile.cjs', '**/pip.conf', '.cargo/config.toml', '.cargo/config', '**/nuget.config', '**/NuGet.Config'],
  },
  {
    category: 'secrets or environment',
    globs: [
      // `.env`, `.env.production`, `.env-production`, `.env_prod`, `.envrc`.
      '**/.env*',
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
    ],
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
  const all = compileGlobs([...DEFAULT_PROTECTED.flatMap((c) => c.globs), ...extra]);
  // Per-category matchers only name the glob of a hit: compiled on the first one.
  let categories: { category: string; m: PathMatcher }[] | undefined;
  const byCategory = () => {
    if (categories) return categories;
    categories = DEFAULT_PROTECTED.map((c) => ({ category: c.category, m: compileGlobs(c.globs) }));
    if (extra.length > 0) categories.push({ category: 'configured protected path', m: compileGlobs(extra) });
    return categories;
  };
  return {
    test: (path) => all.test(path),
    match(path) {
      if (!all.test(path)) return undefined;
      for (const c of byCategory()) {
        const glob = c.m.which(path);
        if (glob) return { glob, category: c.category };
      }
      return undefined;
    },
  };
}
