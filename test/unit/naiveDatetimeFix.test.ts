// The quick fix of python/naive-datetime: utcnow/utcfromtimestamp become aware calls, spelled with
// the `timezone` the file already imports, and no fix where it imports none.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Parsers } from '../../server/review/parser';
import type { Finding } from '../../server/review/rule';
import { naiveDatetime } from '../../server/review/rules/naiveDatetime';
import { grammarDir } from '../support/paths';
import { applyOnlyFix, reviewWithRule } from '../support/quickFix';

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

function review(text: string): Finding[] {
  return reviewWithRule(parsers, naiveDatetime, text);
}

function fixed(text: string): string {
  return applyOnlyFix(review(text), text);
}

describe('naive-datetime quick fix', () => {
  const cases: [string, string, string][] = [
    [
      'utcnow with timezone imported from datetime',
      'from datetime import datetime, timezone\n\n\ndef expires(ttl):\n    return datetime.utcnow() + ttl\n',
      'from datetime import datetime, timezone\n\n\ndef expires(ttl):\n    return datetime.now(timezone.utc) + ttl\n',
    ],
    [
      'utcnow through the module',
      'import datetime\n\nstarted = datetime.datetime.utcnow()\n',
      'import datetime\n\nstarted = datetime.datetime.now(datetime.timezone.utc)\n',
    ],
    [
      'utcfromtimestamp with aliases',
      'from datetime import datetime as DT, timezone as tz\n\nwhen = DT.utcfromtimestamp(event["ts"])\n',
      'from datetime import datetime as DT, timezone as tz\n\nwhen = DT.fromtimestamp(event["ts"], tz.utc)\n',
    ],
    [
      'timezone from a wildcard import',
      'from datetime import *\n\nnow = datetime.utcnow()\n',
      'from datetime import *\n\nnow = datetime.now(timezone.utc)\n',
    ],
    [
      'timezone imported inside try at module level',
      'from datetime import datetime\ntry:\n    from datetime import timezone\nexcept ImportError:\n    raise\n\nnow = datetime.utcnow()\n',
      'from datetime import datetime\ntry:\n    from datetime import timezone\nexcept ImportError:\n    raise\n\nnow = datetime.now(timezone.utc)\n',
    ],
    [
      'the module imported under an alias next to the class',
      'import datetime as dt\nfrom datetime import datetime\n\n\ndef stamp():\n    return datetime.utcnow()\n',
      'import datetime as dt\nfrom datetime import datetime\n\n\ndef stamp():\n    return datetime.now(dt.timezone.utc)\n',
    ],
  ];
  for (const [name, before, after] of cases) {
    test(name, () => {
      const result = fixed(before);
      assert.equal(result, after);
      assert.deepEqual(review(result), [], 'the fixed code is clean');
    });
  }

  const withheld: [string, string][] = [
    ['timezone not imported', 'from datetime import datetime\n\nnow = datetime.utcnow()\n'],
    ['timezone shadowed by a parameter', 'from datetime import datetime, timezone\n\n\ndef f(timezone):\n    return datetime.utcnow()\n'],
    ['utcfromtimestamp with keyword arguments', 'from datetime import datetime, timezone\n\nx = datetime.utcfromtimestamp(timestamp=1)\n'],
  ];
  for (const [name, text] of withheld) {
    test(`reports without a fix: ${name}`, () => {
      const findings = review(text);
      assert.equal(findings.length, 1, JSON.stringify(findings));
      assert.equal(findings[0].fixes, undefined);
    });
  }

  test('now() without a time zone is reported with no fix: local or UTC is the author\'s choice', () => {
    const findings = review('from datetime import datetime, timezone\n\nnow = datetime.now()\n');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].fixes, undefined);
  });
});
