import assert from 'node:assert/strict';
import fc from 'fast-check';
import { activityProblems, incomingActivitySchema } from '../../../bot/http/activitySchema.js';

/** What the schema alone answers for a body. */
function schemaProblems(body: unknown): string[] {
  const parsed = incomingActivitySchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
}

const text = (max: number) => fc.oneof(fc.constant(''), fc.constant('x'), fc.constant('x'.repeat(max)), fc.constant('x'.repeat(max + 1)), fc.string({ maxLength: 8 }));
/** A field's value: absent, a string around its bounds, or another type. */
const field = (max: number) =>
  fc.oneof({ arbitrary: fc.constant('x'), weight: 30 }, fc.constant(undefined), text(max), fc.constant(null), fc.constant(7), fc.constant({}), fc.constant(['x']));
const serviceUrl = fc.oneof({ arbitrary: fc.constantFrom('https://smba.trafficmanager.net/emea/', 'http://127.0.0.1:9/'), weight: 6 }, fc.constantFrom(
  'https://smba.trafficmanager.net/emea/',
  'http://127.0.0.1:9/',
  ' https://smba.trafficmanager.net/amer/ ',
  'javascript:alert(1)',
  'ftp://example.com/',
  'not a url',
  `https://example.com/${'a'.repeat(2040)}`,
  '',
  undefined,
  42,
));
const account = fc.oneof({ arbitrary: fc.record({ id: fc.constant('29:a') }), weight: 20 }, fc.record({ id: field(512), name: field(512), aadObjectId: field(128) }, { requiredKeys: [] }), fc.constant(null), fc.constant('29:a'), fc.constant([]));
const body = fc.oneof(
  fc.record(
    {
      type: field(64),
      id: field(512),
      channelId: field(64),
      serviceUrl,
      conversation: fc.oneof({ arbitrary: fc.constant({ id: 'a:1' }), weight: 20 }, fc.record({ id: field(1024), tenantId: fc.string() }, { requiredKeys: [] }), fc.constant(null), fc.constant('a:1')),
      from: account,
      recipient: account,
      text: field(28_000),
      locale: field(64),
      value: fc.anything(),
    },
    // The other keys are sometimes absent; these are at times `undefined`, which the schema reads as absent.
    { requiredKeys: ['type', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient'] },
  ),
  fc.constant(null),
  fc.constant([1, 2]),
  fc.constant('message'),
);

describe('the incoming activity check', () => {
  const valid = (url: string) => ({ type: 'message', channelId: 'msteams', serviceUrl: url, conversation: { id: 'a:1' }, from: { id: '29:a' }, recipient: { id: '28:b' } });

  it('answers every body exactly as the schema does, before and after the service URL was accepted once', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, (b) => {
        const expected = schemaProblems(b);
        if (expected.length === 0) accepted += 1;
        assert.deepEqual(activityProblems(b), expected);
        // The first call may have remembered the URL; the second takes the shortcut when it can, with the same answer.
        assert.deepEqual(activityProblems(b), expected);
      }),
      { numRuns: 5_000 },
    );
    // Enough well-formed bodies among them for the shortcut to be exercised, not only the schema.
    assert.ok(accepted > 100, `${accepted} accepted`);
  });

  it('refuses a body with a remembered service URL when another field breaks the schema', () => {
    const url = 'https://smba.trafficmanager.net/apac/';
    assert.deepEqual(activityProblems(valid(url)), []);
    assert.deepEqual(activityProblems(valid(url)), []);
    assert.deepEqual(activityProblems({ ...valid(url), channelId: '' }), schemaProblems({ ...valid(url), channelId: '' }));
    assert.notDeepEqual(activityProblems({ ...valid(url), from: { id: 'x'.repeat(513) } }), []);
    assert.notDeepEqual(activityProblems({ ...valid(url), text: 'x'.repeat(28_001) }), []);
    assert.notDeepEqual(activityProblems({ ...valid(url), conversation: ['a:1'] }), []);
    assert.notDeepEqual(activityProblems({ ...valid('javascript:alert(1)') }), []);
  });
});
