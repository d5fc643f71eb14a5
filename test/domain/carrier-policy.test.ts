// How a shipment ranks its quotes, without a server.
import { arrivalDate, rankQuotes, type Quote } from '../../domain/carrier-policy';

const quote = (carrier: string, amount: number, transitDays: number): Quote => ({
  carrier,
  service: 'standard',
  amount,
  currency: 'TRY',
  transitDays,
});
const slow = quote('slow', 10, 3);
const fast = quote('fast', 30, 1);
const favourite = quote('favourite', 50, 2);
const today = '2026-11-24';
const carriers = (ranked: Quote[]) => ranked.map((q) => q.carrier);

test('cheapest: by price; a quote that misses the promised date stays, last, as a fallback', () => {
  expect(carriers(rankQuotes({ quotes: [fast, slow, favourite], policy: 'cheapest', today }).ranked)).toEqual([
    'slow',
    'fast',
    'favourite',
  ]);
  const { ranked, decision } = rankQuotes({ quotes: [slow, fast], policy: 'cheapest', promisedBy: '2026-11-25', today });
  expect(carriers(ranked)).toEqual(['fast', 'slow']);
  expect(decision).toEqual({
    policy: 'cheapest',
    ranking: ['fast', 'slow'],
    reason: 'cheapest of 2 quote(s): fast 30 TRY, 1 day(s); arrives by 2026-11-25',
  });
});

test('fastest: by transit days, then price', () => {
  expect(carriers(rankQuotes({ quotes: [slow, favourite, fast], policy: 'fastest', today }).ranked)).toEqual(['fast', 'favourite', 'slow']);
});

test('preferred: the preferred carriers in their order, then the cheapest; preferences mean nothing under another policy', () => {
  expect(carriers(rankQuotes({ quotes: [slow, fast, favourite], policy: 'preferred', preferred: ['favourite'], today }).ranked)).toEqual([
    'favourite',
    'slow',
    'fast',
  ]);
  expect(carriers(rankQuotes({ quotes: [slow, fast, favourite], policy: 'cheapest', preferred: ['favourite'], today }).ranked)).toEqual([
    'slow',
    'fast',
    'favourite',
  ]);
});

test('the reason says when no carrier keeps the promise, and when none quoted', () => {
  expect(rankQuotes({ quotes: [slow], policy: 'cheapest', promisedBy: today, today }).decision.reason).toBe(
    `cheapest of 1 quote(s): slow 10 TRY, 3 day(s); no carrier reaches ${today} in time`,
  );
  expect(rankQuotes({ quotes: [], policy: 'cheapest', today }).decision.reason).toBe('no carrier quoted');
});

test('arrival counts calendar days from the day the parcel leaves', () => {
  expect(arrivalDate('2026-12-30', 3)).toBe('2027-01-02');
});
