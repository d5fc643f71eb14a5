// The scrub of provider error texts (lib/scrub.ts; issue 18, finding 10): contact data never
// survives it, a 40 KB error is scrubbed whole, and every pattern has a shape that runs in linear
// time whatever the text (recheck, a ReDoS checker: the old e-mail pattern was quadratic).
import { checkSync } from 'recheck';
import { EMAIL_PATTERN, PHONE_PATTERN, scrubContactData } from '../../lib/scrub';

test('addresses and phone numbers are replaced, the rest kept and cut to 500 characters', () => {
  expect(scrubContactData('550 5.1.1 <ayse.yilmaz@example.com>: mailbox unavailable')).toBe('550 5.1.1 <[email]>: mailbox unavailable');
  expect(scrubContactData('rejected: "x@y" to +90 532 123 45 67, retry')).toBe('rejected: "[email]" to [phone], retry');
  expect(scrubContactData('@handle and trailing@ stay')).toBe('@handle and trailing@ stay');
  expect(scrubContactData('e'.repeat(600))).toHaveLength(500);
});

test('a 40 KB provider error is scrubbed whole: an address at its end and one in a long run', () => {
  const longRun = 'a'.repeat(40_000); // the old pattern tried each of its positions to the end
  expect(scrubContactData(`${longRun} ayse@example.com`, Infinity)).toBe(`${longRun} [email]`);
  expect(scrubContactData(`${longRun}@example.com`, Infinity)).toBe('[email]');
  const manyDigits = '1 '.repeat(20_000);
  expect(scrubContactData(`${manyDigits}x`, Infinity)).toBe('[phone] x');
});

test.each([
  ['e-mail', EMAIL_PATTERN],
  ['phone', PHONE_PATTERN],
])('the %s pattern runs in linear time on any text (no ReDoS shape)', (_name, pattern) => {
  const { status } = checkSync(pattern.source, pattern.flags);
  expect([pattern.source, status]).toEqual([pattern.source, 'safe']);
});
