// Access opened up to get past a permission error (core/dangers.ts): Firebase rules that let
// anyone in or lose their sign-in check, Realtime Database rules set to `true`, row-level
// security turned off or bypassed in SQL, and CODEOWNERS lines taken away. Only what is new
// counts: a rule tightened, moved or commented is quiet.
import { strict as assert } from 'node:assert';
import { readsContent } from '../../src/core/dangers';
import { edit, found, lines } from './helpers/dangerChange';

const OPEN = 'the database is open to the internet';

describe('access opened up', () => {
  describe('Firebase security rules', () => {
    const rules = (...allow: string[]) => lines("rules_version = '2';", 'service cloud.firestore {', '  match /databases/{database}/documents {', '    match /posts/{id} {', ...allow.map((a) => `      ${a}`), '    }', '  }', '}');
    const AUTH = 'allow read, write: if request.auth != null;';

    it('if true, no condition, the test-mode date: errors quoting the rule', () => {
      assert.deepEqual(found(edit('firestore.rules', rules(AUTH), rules('allow read, write: if true;'))), {
        'firestore.rules': [`new:5 allows anyone to read and write (\`allow read, write: if true;\`): ${OPEN}`],
      });
      assert.deepEqual(found(edit('firestore.rules', rules('allow read: if false;'), rules('allow read: if true;', 'allow write;'))), {
        'firestore.rules': [`new:5 allows anyone to read (\`allow read: if true;\`): ${OPEN}`, `new:6 allows anyone to write (\`allow write;\`): ${OPEN}`],
      });
      assert.deepEqual(found(edit('firestore.rules', undefined, rules('allow read, write: if request.time < timestamp.date(2026, 12, 1);'))), {
        'firestore.rules': [`new:5 allows anyone to read and write until a date (\`allow read, write: if request.time < timestamp.date(2026, 12, 1);\`), Firebase's test-mode rule: ${OPEN} until then`],
      });
      // Storage: the bucket; a rule over two lines is one statement.
      const storage = lines("rules_version = '2';", 'service firebase.storage {', '  match /b/{bucket}/o {', '    match /{all=**} {', '      allow read, write:', '        if true;', '    }', '  }', '}');
      assert.deepEqual(found(edit('storage.rules', storage.replace('if true', 'if request.auth != null'), storage)), {
        'storage.rules': ['new:5 allows anyone to read and write (`allow read, write: if true;`): the bucket is open to the internet'],
      });
    });

    it('the request.auth check taken out of a rule still there: an error', () => {
      assert.deepEqual(found(edit('firebase/app.rules', rules(AUTH), rules('allow read, write: if resource.data.visible == true;'))), {
        'firebase/app.rules': ['new:5 takes the sign-in check (`request.auth`) out of a rule that lets callers read and write (`allow read, write: if resource.data.visible == true;`, was `allow read, write: if request.auth != null;`): a caller who is not signed in passes it'],
      });
    });

    it('quiet: a rule tightened, a sign-in check added, a rule moved or re-indented, a comment, another kind of .rules', () => {
      assert.deepEqual(found(edit('firestore.rules', rules('allow read, write: if true;'), rules(AUTH))), {});
      assert.deepEqual(found(edit('firestore.rules', rules('allow read: if resource.data.public;'), rules('allow read: if resource.data.public && request.auth != null;'))), {});
      assert.deepEqual(found(edit('firestore.rules', rules('allow write: if true;', 'allow read: if false;'), rules('allow read: if false;', '  allow write: if true;'))), {});
      assert.deepEqual(found(edit('firestore.rules', rules(AUTH), rules(AUTH, '// allow read, write: if true;', '/* allow write; */'))), {});
      // The check moved into the rules' own function.
      const fn = (allow: string) => rules(allow).replace('  match /databases', '  function signedIn() { return request.auth != null; }\n  function owns(d) { return signedIn() && d.owner == request.auth.uid; }\n  match /databases');
      assert.deepEqual(found(edit('firestore.rules', fn(AUTH), fn('allow read, write: if owns(resource.data);'))), {});
      assert.deepEqual(found(edit('firestore.rules', fn(AUTH), fn('allow read, write: if resource.data.open;'))), { 'firestore.rules': ['new:7 takes the sign-in check (`request.auth`) out of a rule that lets callers read and write (`allow read, write: if resource.data.open;`, was `allow read, write: if request.auth != null;`): a caller who is not signed in passes it'] });
      // A new rule for other methods beside the sign-in check, which stays.
      assert.deepEqual(found(edit('firestore.rules', rules(AUTH), rules(AUTH, 'allow get: if resource.data.public;'))), {});
      assert.deepEqual(found(edit('etc/udev/99-usb.rules', lines('SUBSYSTEM=="usb", MODE="0660"'), lines('SUBSYSTEM=="usb", MODE="0666"', 'allow write;'))), {});
    });

    it('Realtime Database: ".read" / ".write" true, or the test-mode date', () => {
      const db = (read: string, write: string) => lines('{', '  "rules": {', `    ".read": ${read},`, `    ".write": ${write}`, '  }', '}');
      assert.deepEqual(found(edit('database.rules.json', db('"auth != null"', '"auth != null"'), db('true', '"true"'))), {
        'database.rules.json': [`new:3 allows anyone to read (\`".read": true\`): ${OPEN}`, `new:4 allows anyone to write (\`".write": "true"\`): ${OPEN}`],
      });
      assert.deepEqual(found(edit('database.rules.json', undefined, db('"now < 1767225600000"', 'false'))), {
        'database.rules.json': [`new:3 allows anyone to read until a date (\`".read": "now < 1767225600000"\`), Firebase's test-mode rule: ${OPEN} until then`],
      });
      // Tightened, or the same rules re-indented: quiet.
      assert.deepEqual(found(edit('database.rules.json', db('true', 'true'), db('"auth != null"', '"auth != null"'))), {});
      assert.deepEqual(found(edit('database.rules.json', db('true', 'false'), db('true', 'false').replace(/^ {4}/gm, '      '))), {});
    });
  });

  describe('Realtime Database rules below the root', () => {
    const tree = (publicRead: string, ownWrite: string) =>
      lines('{', '  // comments are allowed', '  "rules": {', '    ".read": false,', '    "public": {', `      ".read": ${publicRead}`, '    },', '    "users": {', '      "$uid": { ".read": "auth.uid === $uid", ".write": ' + ownWrite + ' }', '    }', '  }', '}');

    it('a read opened below the root: a warning naming the keys down to it; a write anywhere stays an error', () => {
      assert.deepEqual(found(edit('database.rules.json', tree('"auth != null"', '"auth.uid === $uid"'), tree('true', 'true'))), {
        'database.rules.json': [
          "new:6 (warning) allows anyone to read `rules/public` (`\".read\": true` at `rules/public/.read`): that part of the database is open to the internet; confirm it is meant to be public",
          `new:9 allows anyone to write (\`".write": true\`): ${OPEN}`,
        ],
      });
      // Two on a line: each its own keys.
      const one = lines('{ "rules": { "a": { ".read": "false" }, "b": { ".read": "false" } } }');
      assert.deepEqual(found(edit('database.rules.json', one, one.replace(/"false"/g, '"true"'))), {
        'database.rules.json': [
          "new:1 (warning) allows anyone to read `rules/a` (`\".read\": \"true\"` at `rules/a/.read`): that part of the database is open to the internet; confirm it is meant to be public",
          "new:1 (warning) allows anyone to read `rules/b` (`\".read\": \"true\"` at `rules/b/.read`): that part of the database is open to the internet; confirm it is meant to be public",
        ],
      });
    });

    it('at the root, on its own line or the rules\' line, still an error', () => {
      assert.deepEqual(found(edit('database.rules.json', tree('true', 'false'), tree('true', 'false').replace('".read": false', '".read": true'))), {
        'database.rules.json': [`new:4 allows anyone to read (\`".read": true\`): ${OPEN}`],
      });
      assert.deepEqual(found(edit('database.rules.json', lines('{ "rules": { ".read": false } }'), lines('{ "rules": { ".read": true } }'))), {
        'database.rules.json': [`new:1 allows anyone to read (\`".read": true\`): ${OPEN}`],
      });
    });
  });

  describe('SQL row-level security and grants', () => {
    const M = 'supabase/migrations/20260101000000_posts.sql';
    const base = lines('create table posts (id bigint primary key, owner uuid, body text);', 'alter table posts enable row level security;', 'create policy "owners read" on posts for select to authenticated using (auth.uid() = owner);');

    it('RLS turned off, a policy dropped, a policy that passes every row, write grants to everyone', () => {
      const after = base + lines(
        'alter table posts disable row level security;',
        'drop policy "owners read" on posts;',
        'create policy "all read" on posts for select to anon using (true);',
        'create policy "all insert" on posts for insert to authenticated with check (true);',
        'create policy "open" on posts using ( true );',
        'grant insert, update on table posts to anon;',
        'grant all on all tables in schema public to authenticated;',
      );
      assert.deepEqual(found(edit(M, base, after)), {
        [M]: [
          'new:4 turns off row-level security on `posts`: its policies no longer apply, and every role granted the table reads and writes every row',
          'new:5 (warning) drops the row-level security policy `"owners read"` on `posts`: what it allowed or refused no longer applies',
          'new:6 (warning) creates a policy on `posts` that passes every row (`USING (true)`) for everyone (`anon`), for `SELECT`: row-level security no longer limits which rows they reach',
          'new:7 (warning) creates a policy on `posts` that passes every row (`WITH CHECK (true)`) for `authenticated`, for `INSERT`: row-level security no longer limits which rows they reach',
          'new:8 creates a policy on `posts` that passes every row (`USING (true)`) for everyone (`public`), for `ALL`: row-level security no longer limits which rows they reach',
          "new:9 grants `insert, update` on `posts` to everyone (`anon`): whoever holds the project's public key can change its rows, as far as row-level security lets them",
          'new:10 (warning) grants `all` on `all tables in schema public` to every signed-in user (`authenticated`): any account can change its rows, as far as row-level security lets them',
        ],
      });
    });

    it('quiet: RLS enabled, a policy replaced or moved, read grants, a comment', () => {
      assert.deepEqual(found(edit(M, undefined, base)), {});
      const replaced = base + lines('drop policy if exists "owners read" on posts;', 'create policy "owners read" on posts for select to authenticated using (auth.uid() = owner or public);');
      assert.deepEqual(found(edit(M, base, replaced)), {});
      const [t, rls, pol] = base.trimEnd().split('\n');
      assert.deepEqual(found(edit(M, base, lines(t!, pol!, rls!))), {});
      assert.deepEqual(found(edit(M, base, base + lines('grant select on posts to anon;', 'grant usage on schema public to anon;', 'grant execute on function f() to anon;', '-- alter table posts disable row level security;'))), {});
    });
  });

  describe('CODEOWNERS', () => {
    const OWNERS = lines('# owners', '*           @acme/dev', '/auth/      @acme/security', '/billing/   @acme/payments @alice');

    it('an owner line taken out, owners emptied, the file deleted: warnings', () => {
      assert.deepEqual(found(edit('.github/CODEOWNERS', OWNERS, OWNERS.replace('/auth/      @acme/security\n', '').replace('@acme/payments @alice', ''))), {
        '.github/CODEOWNERS': [
          'old:3 (warning) takes out the owners of `/auth/` (`/auth/      @acme/security`): its changes no longer need their review',
          'new:3 (warning) leaves `/billing/` with no owners (was `/billing/   @acme/payments @alice`): its changes no longer need their review',
        ],
      });
      assert.deepEqual(found(edit('CODEOWNERS', OWNERS, undefined)), { CODEOWNERS: ["old:0 (warning) deletes the CODEOWNERS file: no change needs its owners' review any more"] });
    });

    it('an owner taken from a pattern that keeps others: a warning naming them', () => {
      const infra = lines('/infra/ @org/platform @alice', '/web/ @org/web @bob @carol');
      assert.deepEqual(found(edit('CODEOWNERS', infra, lines('/infra/ @alice', '/web/ @bob'))), {
        CODEOWNERS: [
          'new:1 (warning) takes `@org/platform` from the owners of `/infra/` (`/infra/ @alice`, was `/infra/ @org/platform @alice`): its changes can be approved without them',
          'new:2 (warning) takes `@org/web` and `@carol` from the owners of `/web/` (`/web/ @bob`, was `/web/ @org/web @bob @carol`): its changes can be approved without them',
        ],
      });
      // One owner swapped for another: the one taken away is named.
      assert.deepEqual(found(edit('.github/CODEOWNERS', OWNERS, OWNERS.replace('@acme/payments @alice', '@acme/payments @bob'))), {
        '.github/CODEOWNERS': ['new:4 (warning) takes `@alice` from the owners of `/billing/` (`/billing/   @acme/payments @bob`, was `/billing/   @acme/payments @alice`): its changes can be approved without them'],
      });
    });

    it('quiet: owners re-ordered or re-cased, an owner added beside the others', () => {
      assert.deepEqual(found(edit('CODEOWNERS', OWNERS, OWNERS.replace('@acme/payments @alice', '@Alice  @acme/payments'))), {});
      assert.deepEqual(found(edit('CODEOWNERS', OWNERS, OWNERS.replace('@acme/payments @alice', '@acme/payments @alice @bob'))), {});
    });

    it('quiet: lines re-ordered, an owner added, a comment, the file moved', () => {
      const [c, all, auth, billing] = OWNERS.trimEnd().split('\n');
      assert.deepEqual(found(edit('CODEOWNERS', OWNERS, lines(c!, all!, billing!, auth!))), {});
      assert.deepEqual(found(edit('CODEOWNERS', OWNERS, OWNERS.replace('@acme/security', '@acme/security @bob') + '# /tmp/ nobody\n')), {});
      assert.deepEqual(found(edit('CODEOWNERS', OWNERS, undefined), edit('.github/CODEOWNERS', undefined, OWNERS)), {});
    });
  });

  it('reads these files, and still answers a source file by its path', () => {
    for (const p of ['firestore.rules', 'storage.rules', 'firebase/app.rules', 'database.rules.json', 'CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', 'db/x.sql']) assert.equal(readsContent(p), true, p);
    for (const p of ['src/rules.ts', 'src/CODEOWNERS.ts', 'lib/database.rules.json.js', 'app/CODEOWNERS']) assert.equal(readsContent(p), false, p);
  });
});
