// Tests disabled or focused (core/dangers.ts testFile), in each language read: the forms an
// assistant adds to make a failing run pass, and the everyday edits beside them left quiet
// (a skip moved or renamed, named in a comment or a string, or run only under a condition).
import { strict as assert } from 'node:assert';
import { readsContent } from '../../src/core/dangers';
import { edit, found, lines } from './helpers/dangerChange';

const skips = (line: number, code: string) => `new:${line} (warning) skips a test (\`${code}\`)`;
const focuses = (line: number, code: string) => `new:${line} focuses the run on this test (\`${code}\`): every other test no longer runs`;
const expects = (line: number, code: string) => `new:${line} (warning) expects a test to fail (\`${code}\`): its failure no longer fails the run`;
const wholeFile = (line: number, code: string) => `new:${line} (warning) skips every test in this file (\`${code}\`)`;

describe('tests disabled or focused, by language', () => {
  describe('Go', () => {
    const base = lines('func TestRetry(t *testing.T) {', '\tif got := retry(3); got != 3 {', '\t\tt.Fatalf("got %d", got)', '\t}', '}', '', 'func BenchmarkRetry(b *testing.B) {', '\tfor i := 0; i < b.N; i++ {', '\t\tretry(3)', '\t}', '}');

    it('t.Skip, t.Skipf, t.SkipNow, b.Skip and a suite\'s T().Skip added are warnings', () => {
      const skipped = base
        .replace('\tif got', '\tt.Skip("flaky on CI")\n\tif got')
        .replace('\tfor i', '\tb.Skipf("slow: %s", why)\n\tfor i');
      assert.deepEqual(found(edit('internal/retry/retry_test.go', base, skipped)), {
        'internal/retry/retry_test.go': [skips(2, 't.Skip("flaky on CI")'), skips(9, 'b.Skipf("slow: %s", why)')],
      });
      const suite = lines('func (s *RetrySuite) TestRetry() {', '\ts.T().SkipNow()', '\ts.Equal(3, retry(3))', '}');
      assert.deepEqual(found(edit('retry_test.go', undefined, suite)), { 'retry_test.go': [skips(2, 's.T().SkipNow()')] });
      // In a subtest's function: no condition around it.
      const sub = lines('func TestAll(t *testing.T) {', '\tt.Run("slow", func(t *testing.T) {', '\t\tt.Skip()', '\t})', '}');
      assert.deepEqual(found(edit('all_test.go', undefined, sub)), { 'all_test.go': [skips(3, 't.Skip()')] });
    });

    it('quiet: a skip under testing.Short(), a GOOS switch or an else; moved to another test; in a comment, a string or a raw string; another type\'s Skip', () => {
      const guarded = base.replace(
        '\tif got',
        ['\tif testing.Short() {', '\t\tt.Skip("slow")', '\t}', '\tif runtime.GOOS == "windows" { t.Skip("no symlinks") }', '\tswitch runtime.GOOS {', '\tcase "plan9":', '\t\tt.Skipf("%s", runtime.GOOS)', '\t}', '\tif ok {', '\t\tlog()', '\t} else {', '\t\tt.SkipNow()', '\t}', '\tif got'].join('\n'),
      );
      assert.deepEqual(found(edit('retry_test.go', base, guarded)), {});
      const a = lines('func TestA(t *testing.T) {', '\tt.Skip("flaky")', '}', 'func TestB(t *testing.T) {', '}');
      const b = lines('func TestA(t *testing.T) {', '}', 'func TestB(t *testing.T) {', '\tt.Skip("flaky")', '}');
      assert.deepEqual(found(edit('ab_test.go', a, b)), {});
      const named = lines('func TestDoc(t *testing.T) {', '\t// t.Skip("flaky") is what we avoid', '\t/* t.SkipNow() */', '\twant := "t.Skip(\\"x\\")"', '\tsrc := `', '\tt.Skip()', '\t`', '\tr.Skip(4)', '\tcheck(t, want, src)', '}');
      assert.deepEqual(found(edit('doc_test.go', undefined, named)), {});
    });

    it('quiet: a skip under an if whose condition runs over several lines; a skip after a signature over several lines is no condition', () => {
      const long = base.replace('\tif got', ['\tif runtime.GOOS == "windows" ||', '\t\truntime.GOOS == "plan9" {', '\t\tt.Skip("no unix sockets")', '\t}', '\tif got'].join('\n'));
      assert.deepEqual(found(edit('retry_test.go', base, long)), {});
      const java = lines('class RetryTest {', '  @Test', '  void retries() {', '    if (System.getenv("CI") != null', '        && onWindows()) {', '      assumeTrue(false);', '    }', '  }', '}');
      assert.deepEqual(found(edit('src/test/java/RetryTest.java', undefined, java)), {});
      const sig = lines('func TestRetry(', '\tt *testing.T,', ') {', '\tt.Skip("flaky")', '}');
      assert.deepEqual(found(edit('retry_test.go', undefined, sig)), { 'retry_test.go': [skips(4, 't.Skip("flaky")')] });
    });
  });

  describe('Java and Kotlin', () => {
    const java = lines('class RetryTest {', '  @Test', '  void retries() {', '    assertEquals(3, retry(3));', '  }', '}');

    it('@Disabled, @Ignore, TestNG\'s enabled = false, Kotest\'s xtest and an assumption that never holds are warnings', () => {
      assert.deepEqual(found(edit('src/test/java/app/RetryTest.java', java, java.replace('  @Test\n', '  @Test\n  @Disabled("flaky")\n'))), {
        'src/test/java/app/RetryTest.java': [skips(3, '@Disabled("flaky")')],
      });
      assert.deepEqual(found(edit('core/src/test/java/app/Legacy.java', undefined, lines('@org.junit.Ignore', 'public class Legacy {', '  @Test(enabled = false)', '  public void a() {', '    Assumptions.assumeTrue(false);', '  }', '}'))), {
        'core/src/test/java/app/Legacy.java': [skips(1, '@org.junit.Ignore'), skips(3, '@Test(enabled = false)'), skips(5, 'Assumptions.assumeTrue(false);')],
      });
      assert.deepEqual(found(edit('app/src/commonTest/kotlin/RetrySpec.kt', undefined, lines('class RetrySpec : FunSpec({', '  xtest("retries") {', '    retry(3) shouldBe 3', '  }', '})'))), {
        'app/src/commonTest/kotlin/RetrySpec.kt': [skips(2, 'xtest("retries") {')],
      });
      assert.deepEqual(found(edit('RetryTests.kt', java, java.replace('  @Test\n', '  @Ignore\n  @Test\n'))), { 'RetryTests.kt': [skips(2, '@Ignore')] });
    });

    it('quiet: @Disabled moved to another method, named in a comment or a text block; conditional annotations; @JsonIgnore; an assumption under an if', () => {
      const two = (first: boolean) => lines('class RetryTest {', ...(first ? ['  @Disabled'] : []), '  @Test void a() {}', ...(first ? [] : ['  @Disabled']), '  @Test void b() {}', '}');
      assert.deepEqual(found(edit('src/test/java/RetryTest.java', two(true), two(false))), {});
      const quiet = lines('class DocTest {', '  // @Disabled until the fix lands', '  /* @Ignore */', '  String doc = """', '    @Disabled', '    """;', '  @DisabledOnOs(OS.WINDOWS)', '  @JsonIgnore', '  @Test void a() {', '    if (ci) { assumeTrue(false); }', '  }', '}');
      assert.deepEqual(found(edit('src/test/java/DocTest.java', undefined, quiet)), {});
    });
  });

  describe('Ruby', () => {
    const spec = lines('RSpec.describe Retry do', '  it "retries" do', '    expect(retry(3)).to eq(3)', '  end', '', '  it "stops" do', '    expect(retry(0)).to eq(0)', '  end', 'end');

    it('xit, xdescribe, skip: metadata and a bare skip are warnings; fit, fdescribe, focus: true and :focus errors; pending expects a failure', () => {
      assert.deepEqual(found(edit('spec/retry_spec.rb', spec, spec.replace('  it "retries"', '  xit "retries"').replace('  it "stops" do', '  fit "stops" do'))), {
        'spec/retry_spec.rb': [skips(2, 'xit "retries" do'), focuses(6, 'fit "stops" do')],
      });
      assert.deepEqual(found(edit('spec/models/user_spec.rb', spec, spec.replace('"retries" do', '"retries", :focus do').replace('"stops" do', '"stops", skip: "flaky" do'))), {
        'spec/models/user_spec.rb': [focuses(2, 'it "retries", :focus do'), skips(6, 'it "stops", skip: "flaky" do')],
      });
      assert.deepEqual(found(edit('spec/retry_spec.rb', spec, spec.replace('    expect(retry(3))', '    pending "the fix"\n    expect(retry(3))'))), {
        'spec/retry_spec.rb': [expects(3, 'pending "the fix"')],
      });
      const minitest = lines('class RetryTest < Minitest::Test', '  def test_retries', '    skip "flaky"', '    assert_equal 3, retry(3)', '  end', 'end');
      assert.deepEqual(found(edit('test/retry_test.rb', undefined, minitest)), { 'test/retry_test.rb': [skips(3, 'skip "flaky"')] });
      assert.deepEqual(found(edit('spec/features/login_spec.rb', undefined, lines('xdescribe "login" do', 'end', 'fcontext "admin", focus: true do', 'end'))), {
        'spec/features/login_spec.rb': [skips(1, 'xdescribe "login" do'), focuses(3, 'fcontext "admin", focus: true do')],
      });
    });

    it('quiet: skip as a variable or method of app code, a skip under a condition, in a comment, a heredoc or =begin; the focus filter in spec_helper; a skipped example renamed', () => {
      const quiet = lines(
        'RSpec.describe Paginator do',
        '  it "skips" do',
        '    skip = 3',
        '    pager.skip(skip)',
        '    skip "no network" unless online?',
        '    if windows?',
        '      skip',
        '    end',
        '    # xit "old" do',
        '    sql = <<~SQL',
        '      pending',
        '      fit "x" do',
        '    SQL',
        '    expect(run(sql, skip: false)).to be_ok',
        '    expect(paginate(rows, skip: 10, pending: true)).to eq([])',
        '  end',
        '  it "runs", skip: false do',
        '  end',
        'end',
        '=begin',
        'xit "retries" do',
        '=end',
      );
      assert.deepEqual(found(edit('spec/paginator_spec.rb', undefined, quiet)), {});
      assert.deepEqual(found(edit('spec/spec_helper.rb', undefined, lines('RSpec.configure do |config|', '  config.filter_run_when_matching :focus', 'end'))), {});
      const old = spec.replace('  it "retries"', '  xit "retries"');
      assert.deepEqual(found(edit('spec/retry_spec.rb', old, old.replace('xit "retries"', 'xit "retries three times"'))), {});
    });
    it('quiet: skip: or pending: given a condition (`skip: RUBY_ENGINE != "ruby"`, an ENV lookup); `skip: true` still skips', () => {
      const conditional = spec.replace('"retries" do', '"retries", skip: RUBY_ENGINE != "ruby" do').replace('"stops" do', '"stops", pending: ENV["SLOW"] do');
      assert.deepEqual(found(edit('spec/retry_spec.rb', spec, conditional)), {});
      assert.deepEqual(found(edit('spec/retry_spec.rb', spec, spec.replace('"stops" do', '"stops", skip: true do'))), { 'spec/retry_spec.rb': [skips(6, 'it "stops", skip: true do')] });
    });
  });

  describe('Rust', () => {
    const base = lines('#[test]', 'fn retries() {', '    assert_eq!(retry(3), 3);', '}');

    it('#[ignore] added in an integration test or a tests module file is a warning', () => {
      assert.deepEqual(found(edit('tests/retry.rs', base, base.replace('#[test]\n', '#[test]\n#[ignore = "flaky"]\n')), edit('src/net/tests.rs', undefined, lines('#[test]', '#[ignore]', 'fn a() {}'))), {
        'tests/retry.rs': [skips(2, '#[ignore = "flaky"]')],
        'src/net/tests.rs': [skips(2, '#[ignore]')],
      });
    });

    it('quiet: #[ignore] moved, under cfg_attr, in a comment or a raw string; a lifetime is no string', () => {
      const two = (first: boolean) => lines(...(first ? ['#[ignore]'] : []), '#[test]', 'fn a() {}', ...(first ? [] : ['#[ignore]']), '#[test]', 'fn b() {}');
      assert.deepEqual(found(edit('tests/ab.rs', two(true), two(false))), {});
      const quiet = lines('// #[ignore] until the fix lands', '#[cfg_attr(windows, ignore)]', '#[test]', "fn parse<'a>(s: &'a str) {", '    let doc = r#"', '#[ignore]', '"#;', "    let c = '#';", '}');
      assert.deepEqual(found(edit('tests/parse.rs', undefined, quiet)), {});
    });
  });

  describe('C#', () => {
    it('[Fact(Skip = …)], [Ignore] and [Test, Ignore(…)] are warnings; quiet in a comment, a verbatim string, [JsonIgnore]', () => {
      const cs = lines('public class RetryTests', '{', '    [Fact(Skip = "flaky")]', '    public void Retries() {}', '    [Test, Ignore("later")]', '    public void Stops() {}', '    [Ignore]', '    public void Waits() {}', '}');
      assert.deepEqual(found(edit('tests/App.Tests/RetryTests.cs', undefined, cs)), {
        'tests/App.Tests/RetryTests.cs': [skips(3, '[Fact(Skip = "flaky")]'), skips(5, '[Test, Ignore("later")]'), skips(7, '[Ignore]')],
      });
      const quiet = lines('public class DocTests', '{', '    // [Fact(Skip = "x")]', '    string doc = @"[Ignore]', '    C:\\";', '    [JsonIgnore] public int Id { get; set; }', '    [Fact] public void A() {}', '}');
      assert.deepEqual(found(edit('DocTests.cs', undefined, quiet)), {});
    });
  });

  describe('Python, more forms', () => {
    it('pytestmark and a module-level pytest.skip skip the file; skipif(True), a body\'s pytest.skip and self.skipTest skip a test; xfail expects a failure', () => {
      assert.deepEqual(found(edit('tests/test_api.py', undefined, lines('import pytest', 'pytestmark = pytest.mark.skip(reason="flaky")', '', 'def test_a():', '    assert api()'))), {
        'tests/test_api.py': [wholeFile(2, 'pytestmark = pytest.mark.skip(reason="flaky")')],
      });
      assert.deepEqual(found(edit('tests/test_db.py', undefined, lines('import pytest', 'pytest.skip("needs a database", allow_module_level=True)'))), {
        'tests/test_db.py': [wholeFile(2, 'pytest.skip("needs a database", allow_module_level=True)')],
      });
      const py = lines('@pytest.mark.skipif(True, reason="later")', 'def test_a():', '    pass', '', 'def test_b():', '    pytest.skip("flaky")', '', 'class TestC(unittest.TestCase):', '    def test_c(self):', '        self.skipTest("flaky")', '', '@pytest.mark.xfail( reason="known")', 'def test_d():', '    pass', '', '@pytest.mark.xfail(', '    strict=False,', ')', 'def test_e():', '    pass');
      assert.deepEqual(found(edit('tests/test_more.py', undefined, py)), {
        'tests/test_more.py': [
          skips(1, '@pytest.mark.skipif(True, reason="later")'),
          skips(6, 'pytest.skip("flaky")'),
          skips(10, 'self.skipTest("flaky")'),
          expects(12, '@pytest.mark.xfail( reason="known")'),
          expects(16, '@pytest.mark.xfail('),
        ],
      });
    });

    it('quiet: skipif on a real condition, a conditional xfail, a skip under if or except, importorskip, a skip moved to another test', () => {
      const quiet = lines(
        '@pytest.mark.skipif(sys.platform == "win32", reason="posix")',
        '@pytest.mark.xfail(sys.version_info < (3, 12), reason="old")',
        'def test_a():',
        '    if not shutil.which("git"):',
        '        pytest.skip("needs git")',
        '    try:',
        '        import numpy',
        '    except ImportError:',
        '        pytest.skip("needs numpy")',
        '    pd = pytest.importorskip("pandas")',
        '',
        'if sys.platform == "win32":',
        '    pytest.skip("posix only", allow_module_level=True)',
      );
      assert.deepEqual(found(edit('tests/test_quiet.py', undefined, quiet)), {});
      const a = lines('def test_a():', '    pytest.skip("x")', '', 'def test_b():', '    pass');
      assert.deepEqual(found(edit('tests/test_ab.py', a, a.replace('    pytest.skip("x")\n', '    pass\n').replace('def test_b():\n    pass', 'def test_b():\n    pytest.skip("x")'))), {});
    });

    it("a parametrized case given marks=pytest.mark.skip or an unconditional xfail; quiet where the marks are picked by a condition, or skipif", () => {
      const base = lines('@pytest.mark.parametrize("n", [', '    1,', '    2,', '])', 'def test_n(n):', '    assert n');
      const marked = base.replace('    2,', '    pytest.param(2, marks=pytest.mark.skip(reason="old rule")),\n    pytest.param(3, marks=[pytest.mark.xfail(reason="bug")]),');
      assert.deepEqual(found(edit('tests/test_n.py', base, marked)), {
        'tests/test_n.py': [skips(3, 'pytest.param(2, marks=pytest.mark.skip(reason="old rule")),'), expects(4, 'pytest.param(3, marks=[pytest.mark.xfail(reason="bug")]),')],
      });
      const picked = base.replace('    2,', '    pytest.param(2, marks=pytest.mark.skip(reason="no data") if not have_data else []),\n    pytest.param(3, marks=pytest.mark.skipif(sys.platform == "win32", reason="posix")),\n    pytest.param(4, marks=pytest.mark.xfail(OLD, reason="old")),');
      assert.deepEqual(found(edit('tests/test_n.py', base, picked)), {});
    });
  });

  describe('JavaScript and TypeScript, more forms', () => {
    it("Vitest's skipIf(true) and runIf(false), Playwright's test.fixme, describe.skip are warnings; skipIf on a condition is not", () => {
      const spec = lines("describe('retry', () => {", "  it('retries', () => {});", "  test('stops', () => {});", "  test('waits', () => {});", '});');
      const skipped = spec.replace("it('retries'", "it.skipIf(true)('retries'").replace("test('stops'", "test.runIf(false)('stops'").replace("test('waits'", "test.fixme('waits'").replace("describe('retry'", "describe.skip('retry'");
      assert.deepEqual(found(edit('src/retry.test.ts', spec, skipped)), {
        'src/retry.test.ts': [skips(1, "describe.skip('retry', () => {"), skips(2, "it.skipIf(true)('retries', () => {});"), skips(3, "test.runIf(false)('stops', () => {});"), skips(4, "test.fixme('waits', () => {});")],
      });
      assert.deepEqual(found(edit('src/retry.test.ts', spec, spec.replace("it('retries'", "it.skipIf(process.platform === 'win32')('retries'"))), {});
    });
  });

  it('reads the test files of these languages, and not their other source files', () => {
    const yes = ['internal/retry/retry_test.go', 'src/test/java/app/RetryTest.java', 'core/src/test/kotlin/app/Helpers.kt', 'app/src/androidTest/java/app/LoginTest.java', 'RetryTests.kt', 'app/src/commonTest/kotlin/RetrySpec.kt', 'tests/App.Tests/Helpers.cs', 'RetryTests.cs', 'spec/retry_spec.rb', 'spec/support/helpers.rb', 'test/retry_test.rb', 'test/models/user_test.rb', 'tests/retry.rs', 'src/net/tests.rs', 'src/net/parse_test.rs'];
    const no = ['src/app.go', 'cmd/main.go', 'app/models/user.rb', 'lib/retry.rb', 'src/main/java/app/Retry.java', 'src/main/kotlin/app/Retry.kt', 'src/lib.rs', 'src/App/Program.cs', 'spec/fixtures/data.rb', 'src/test/resources/data.json'.replace('.json', '.txt')];
    for (const p of yes) assert.equal(readsContent(p), true, p);
    for (const p of no) assert.equal(readsContent(p), false, p);
    // The JavaScript quick answer is unchanged.
    assert.equal(readsContent('src/a.ts'), false);
    assert.equal(readsContent('src/a.test.ts'), true);
  });
});
