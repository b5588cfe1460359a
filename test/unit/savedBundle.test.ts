// The bundle a review panel restored after a window reload may show again: the path its
// webview saved is untrusted, so only an existing folder inside a root's .specgate/reviews/,
// holding packet.json, reached without a symbolic link leading out, is accepted. And the
// line shown instead is text in a page without script.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { noticeHtml } from '../../src/vscode/webview/html';
import { checkSavedBundle, savedBundleMessage, savedBundlePath, type SavedBundle } from '../../src/vscode/webview/savedBundle';

function bundle(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'packet.json'), '{}');
  writeFileSync(path.join(dir, 'changes.patch'), '');
  return dir;
}

function failed(r: SavedBundle): Extract<SavedBundle, { ok: false }> {
  assert.equal(r.ok, false, `accepted: ${JSON.stringify(r)}`);
  return r as Extract<SavedBundle, { ok: false }>;
}

describe('restored review panel: the saved bundle', () => {
  let tmp: string;
  let root: string;
  let reviews: string;
  let good: string;

  beforeEach(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'specgate-saved-')));
    root = path.join(tmp, 'repo');
    reviews = path.join(root, '.specgate', 'reviews');
    good = bundle(path.join(reviews, 'billing-retry-20250101-120000-0123abcd'));
  });

  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('accepts a bundle folder in a root\'s .specgate/reviews/ holding packet.json, named as saved', async () => {
    assert.deepEqual(await checkSavedBundle({ bundle: good, data: {}, open: [] }, [path.join(tmp, 'other'), root]), { ok: true, bundleDir: good, root });
    assert.deepEqual(await checkSavedBundle({ bundle: `${good}/` }, [root]), { ok: true, bundleDir: good, root });
  });

  it('refuses a state that names no bundle: none saved, not a string, relative, empty, with a NUL', async () => {
    for (const state of [undefined, null, 'x', {}, { data: {} }, { bundle: 3 }, { bundle: '' }, { bundle: 'billing' }, { bundle: `${good}\0` }]) {
      assert.equal(failed(await checkSavedBundle(state, [root])).problem, 'unnamed', JSON.stringify(state));
    }
    assert.equal(savedBundlePath({ bundle: 'x'.repeat(5000) }), undefined);
  });

  it('refuses a path with ".." or "." even when it leads back into .specgate/reviews/', async () => {
    const back = path.join(reviews, 'x') + '/../' + path.basename(good);
    assert.equal(failed(await checkSavedBundle({ bundle: back }, [root])).problem, 'dot-segment');
    assert.equal(failed(await checkSavedBundle({ bundle: `${reviews}/../../src` }, [root])).problem, 'dot-segment');
    assert.equal(failed(await checkSavedBundle({ bundle: `${reviews}/./${path.basename(good)}` }, [root])).problem, 'dot-segment');
    // A name that merely starts with two dots is a name.
    const dots = bundle(path.join(reviews, '..dots'));
    assert.equal((await checkSavedBundle({ bundle: dots }, [root])).ok, true);
  });

  it('refuses a bundle outside every root\'s .specgate/reviews/, and .specgate/reviews/ itself', async () => {
    const elsewhere = bundle(path.join(root, 'elsewhere', 'bundle'));
    assert.equal(failed(await checkSavedBundle({ bundle: elsewhere }, [root])).problem, 'outside');
    assert.equal(failed(await checkSavedBundle({ bundle: good }, [path.join(tmp, 'other')])).problem, 'outside');
    assert.equal(failed(await checkSavedBundle({ bundle: good }, [])).problem, 'outside');
    writeFileSync(path.join(reviews, 'packet.json'), '{}');
    assert.equal(failed(await checkSavedBundle({ bundle: reviews }, [root])).problem, 'outside');
    // Nor a sibling whose name starts the same.
    const sibling = bundle(path.join(root, '.specgate', 'reviews-2', 'b'));
    assert.equal(failed(await checkSavedBundle({ bundle: sibling }, [root])).problem, 'outside');
  });

  it('follows no symbolic link out: a linked bundle folder, a linked reviews folder (a linked root is fine), a linked packet.json or changes.patch', async () => {
    const outside = bundle(path.join(tmp, 'outside', 'bundle'));
    symlinkSync(outside, path.join(reviews, 'linked'));
    assert.equal(failed(await checkSavedBundle({ bundle: path.join(reviews, 'linked') }, [root])).problem, 'link-out');

    // .specgate/reviews itself a link out of the root.
    const root2 = path.join(tmp, 'repo2');
    mkdirSync(path.join(root2, '.specgate'), { recursive: true });
    symlinkSync(path.join(tmp, 'outside'), path.join(root2, '.specgate', 'reviews'));
    assert.equal(failed(await checkSavedBundle({ bundle: path.join(root2, '.specgate', 'reviews', 'bundle') }, [root2])).problem, 'link-out');
    // The root may be reached through a link (a workspace folder opened by one).
    symlinkSync(root, path.join(tmp, 'root-link'));
    const viaLink = path.join(tmp, 'root-link', '.specgate', 'reviews', path.basename(good));
    assert.deepEqual(await checkSavedBundle({ bundle: viaLink }, [path.join(tmp, 'root-link')]), { ok: true, bundleDir: viaLink, root: path.join(tmp, 'root-link') });

    const packetLink = path.join(reviews, 'packet-link');
    mkdirSync(packetLink);
    symlinkSync(path.join(outside, 'packet.json'), path.join(packetLink, 'packet.json'));
    assert.equal(failed(await checkSavedBundle({ bundle: packetLink }, [root])).problem, 'link-out');

    const patchLink = path.join(reviews, 'patch-link');
    mkdirSync(patchLink);
    writeFileSync(path.join(patchLink, 'packet.json'), '{}');
    symlinkSync('/etc/passwd', path.join(patchLink, 'changes.patch'));
    assert.equal(failed(await checkSavedBundle({ bundle: patchLink }, [root])).problem, 'link-out');

    // A link that stays inside the bundle is followed.
    const inside = path.join(reviews, 'inside-link');
    mkdirSync(path.join(inside, 'data'), { recursive: true });
    writeFileSync(path.join(inside, 'data', 'p.json'), '{}');
    symlinkSync(path.join(inside, 'data', 'p.json'), path.join(inside, 'packet.json'));
    assert.equal((await checkSavedBundle({ bundle: inside }, [root])).ok, true);
  });

  it('says a removed bundle is gone, and one without packet.json has none', async () => {
    rmSync(good, { recursive: true });
    const gone = failed(await checkSavedBundle({ bundle: good }, [root]));
    assert.deepEqual([gone.problem, gone.root], ['gone', root]);
    assert.equal(
      savedBundleMessage(gone),
      `The review bundle .specgate/reviews/${path.basename(good)} is no longer there (deleted or moved), so this review cannot be shown again. Open a bundle with SpecGate: Open Review Packet.`,
    );
    rmSync(reviews, { recursive: true });
    assert.equal(failed(await checkSavedBundle({ bundle: good }, [root])).problem, 'gone');
    const empty = path.join(reviews, 'empty');
    mkdirSync(empty, { recursive: true });
    assert.equal(failed(await checkSavedBundle({ bundle: empty }, [root])).problem, 'no-packet');
    mkdirSync(path.join(empty, 'packet.json'));
    assert.equal(failed(await checkSavedBundle({ bundle: empty }, [root])).problem, 'no-packet');
    writeFileSync(path.join(reviews, 'a-file'), '');
    assert.equal(failed(await checkSavedBundle({ bundle: path.join(reviews, 'a-file') }, [root])).problem, 'gone');
  });

  it('the message shows a saved path on one line, bidi overrides and controls visible; the page escapes it and runs no script', () => {
    const message = savedBundleMessage({ ok: false, problem: 'outside', bundleDir: '/x/<img src=x onerror=alert(1)>\n\u202eevil' });
    assert.equal(
      message,
      'SpecGate did not reopen this review: /x/<img src=x onerror=alert(1)>\\n\\u{202e}evil is not in the .specgate/reviews folder of a workspace folder. Open a bundle with SpecGate: Open Review Packet.',
    );
    const html = noticeHtml({ cspSource: 'vscode-resource:', styleUri: 'vscode-resource:/media/review.css', message });
    assert.match(html, /content="default-src 'none'; style-src vscode-resource:"/);
    assert.ok(!html.includes('<script'), 'a script in the notice page');
    assert.ok(!html.includes('<img'), 'the path reached the page as HTML');
    assert.ok(html.includes('/x/&lt;img src=x onerror=alert(1)&gt;\\n\\u{202e}evil'));
    assert.equal(savedBundleMessage({ ok: false, problem: 'outside', bundleDir: `/${'a'.repeat(300)}` }).length < 400, true);
  });
});
