import { strict as assert } from 'node:assert';
import {
  approvalPath,
  canonicalJson,
  makeApproval,
  parseApproval,
  serializeApproval,
  shortDigest,
  signaturePathFor,
} from '../../src/core/approval';
import { UsageError } from '../../src/core/model';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);

function record() {
  return makeApproval({
    digest: DIGEST,
    spec: '.kiro/specs/cache',
    base: { ref: 'HEAD', commit: 'a'.repeat(40) },
    decision: 'approved',
    reviewer: { name: 'Ann', email: 'ann@example.com', principal: 'ann@example.com' },
    time: new Date(Date.UTC(2026, 10, 22, 12, 0, 0)),
    comment: '  ship it  ',
    version: '0.1.0',
  });
}

describe('approval record', () => {
  it('serialises canonically: sorted keys at every level, two-space indent, final newline', () => {
    const text = serializeApproval(record());
    assert.equal(
      text,
      [
        '{',
        '  "base": {',
        '    "commit": "' + 'a'.repeat(40) + '",',
        '    "ref": "HEAD"',
        '  },',
        '  "comment": "ship it",',
        '  "decision": "approved",',
        `  "digest": "${DIGEST}",`,
        '  "reviewer": {',
        '    "email": "ann@example.com",',
        '    "name": "Ann",',
        '    "principal": "ann@example.com"',
        '  },',
        '  "schema": "specgate.approval/1",',
        '  "spec": ".kiro/specs/cache",',
        '  "time": "2026-11-22T12:00:00.000Z",',
        '  "tool": {',
        '    "name": "specgate",',
        '    "version": "0.1.0"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{\n  "a": [\n    {\n      "c": 2,\n      "d": 1\n    }\n  ],\n  "b": 1\n}\n');
  });

  it('parses its own output back to the same record', () => {
    const r = record();
    assert.deepEqual(parseApproval(serializeApproval(r)), { ok: true, record: r });
  });

  it('refuses anything but the one canonical byte string', () => {
    const text = serializeApproval(record());
    const cases: [string, RegExp][] = [
      [text.replace('\n}\n', '\n}'), /canonical/],
      [text.replace('  "comment"', '  "comment": "x",\n  "comment"'), /canonical/],
      [JSON.stringify(record()), /canonical/],
      [text.replace('"approved"', '"approved!"'), /unknown decision/],
      [text.replace('"schema": "specgate.approval/1"', '"schema": "specgate.approval/2"'), /schema/],
      [text.replace('  "decision"', '  "extra": 1,\n  "decision"'), /missing or unknown fields/],
      [text.replace(DIGEST, 'sha256:abc'), /no valid digest/],
      ['not json', /not valid JSON/],
      ['[]', /not a JSON object/],
    ];
    for (const [input, problem] of cases) {
      const r = parseApproval(input);
      assert.equal(r.ok, false, input);
      assert.match((r as { problem: string }).problem, problem);
    }
  });

  it('names the record and its signature by the digest prefix', () => {
    assert.equal(approvalPath(DIGEST), '.specgate/approvals/0123456789abcdef.json');
    assert.equal(signaturePathFor(approvalPath(DIGEST)), '.specgate/approvals/0123456789abcdef.sig');
    assert.equal(shortDigest(DIGEST), 'sha256:0123456789ab…');
    assert.throws(() => approvalPath('sha256:../../x'), UsageError);
  });

  it('bounds the comment', () => {
    assert.throws(() => makeApproval({ ...record(), time: new Date(), comment: 'x'.repeat(4001), version: '1' }), /: --comment has 4001 characters; shorten it to 4000 or fewer$/);
  });
});
