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

describe('duties paid by the merchant (DDP, issue 25)', () => {
  const ddp = (carrier: string, amount: number, duties: number, currency = 'TRY'): Quote => ({
    ...quote(carrier, amount, 2),
    duties: { amount: duties, currency },
  });

  test('cheapest ranks on shipping plus duties, and the reason names both', () => {
    const cheapShipping = ddp('cheap-shipping', 100, 80);
    const cheapLanded = ddp('cheap-landed', 150, 10);
    const { ranked, decision } = rankQuotes({ quotes: [cheapShipping, cheapLanded], policy: 'cheapest', today });
    expect(carriers(ranked)).toEqual(['cheap-landed', 'cheap-shipping']);
    expect(decision.reason).toBe('cheapest of 2 quote(s): cheap-landed 150 TRY + 10 TRY duties, 2 day(s)');
  });

  test('fastest breaks a tie in transit on shipping plus duties', () => {
    expect(carriers(rankQuotes({ quotes: [ddp('a', 100, 80), ddp('b', 150, 10)], policy: 'fastest', today }).ranked)).toEqual(['b', 'a']);
  });

  test('duties in another currency than the shipping cannot be added: ranked on shipping alone, and the reason says so', () => {
    const { ranked, decision } = rankQuotes({ quotes: [ddp('a', 100, 80, 'EUR'), ddp('b', 150, 10, 'EUR')], policy: 'cheapest', today });
    expect(carriers(ranked)).toEqual(['a', 'b']);
    expect(decision.reason).toBe('cheapest of 2 quote(s): a 100 TRY + 80 EUR duties (not added: another currency), 2 day(s)');
  });

  test('quotes without duties rank and read exactly as before (replayed histories choose the same carrier)', () => {
    const { ranked, decision } = rankQuotes({ quotes: [fast, slow], policy: 'cheapest', today });
    expect(carriers(ranked)).toEqual(['slow', 'fast']);
    expect(decision.reason).toBe('cheapest of 2 quote(s): slow 10 TRY, 3 day(s)');
  });
});
