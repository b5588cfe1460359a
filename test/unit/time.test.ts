// A record's time as people read it: in UTC to the second, the same on every machine; text
// whose meaning would depend on the machine (no zone) or that is no ISO time, as written.
import { strict as assert } from 'node:assert';
import { shownTime } from '../../src/core/time';

describe('shownTime', () => {
  const cases: [string, string, string][] = [
    ['an approval record time (toISOString) in UTC, to the second', '2026-11-23T14:05:09.345Z', '2026-11-23 14:05:09 UTC'],
    ['a time without a fraction', '2026-11-23T14:05:09Z', '2026-11-23 14:05:09 UTC'],
    ['a time in another zone, turned to UTC (across midnight)', '2026-11-24T01:35:00+11:30', '2026-11-23 14:05:00 UTC'],
    ['a time with no zone (local to whoever wrote it), quoted as written', '2026-11-23T14:05:09', '"2026-11-23T14:05:09"'],
    ['a date Date.parse reads but no ISO time, quoted as written', 'Nov 23 2026', '"Nov 23 2026"'],
    ['an impossible date, quoted as written', '2026-13-45T99:00:00Z', '"2026-13-45T99:00:00Z"'],
    ['no time at all', '', 'an unknown time'],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(shownTime(input), expected));

  it('does not depend on the machine time zone', () => {
    const prev = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Chatham';
      assert.equal(shownTime('2026-11-23T14:05:09.345Z'), '2026-11-23 14:05:09 UTC');
    } finally {
      if (prev === undefined) delete process.env.TZ;
      else process.env.TZ = prev;
    }
  });
});
