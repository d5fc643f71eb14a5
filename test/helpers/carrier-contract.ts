// The contract every carrier connector must pass, against its sandbox double over HTTP: one suite,
// registered unchanged by each carrier's test file with that carrier's kit (how to build its
// adapter, its double, its codes, its scans, what it refuses). A new carrier gets the whole
// contract by writing its kit; its test file keeps only what is its own protocol.
//
// carrierContract(kit) starts the double for the file (one sandbox, a free loopback port), clears
// its faults after every test, registers the suite and returns the handles the carrier's own tests
// use. Faults are set through the double's admin API, for the next call only unless a test says
// otherwise.
import { randomUUID } from 'node:crypto';
import { carrierAdmin, startDouble, type DoubleSandbox } from './carrier-sandbox';
import { failureOf } from './failures';
import { LABEL_DATA_URL, type CarrierAdapter, type CarrierCapabilities } from '../../carriers/adapter';
import type { Address } from '../../domain/order';
import type { Booking, ShipmentRequest, TrackingEvent, TrackingStatus } from '../../domain/shipment';
import type { CarrierDouble } from '../../sandbox/double';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';

/** The adapter calls that can reach the carrier (a quote from a contract tariff does not). */
export type WireCall = 'quote' | 'book' | 'track' | 'cancel' | 'pickup';

/** What every adapter is built with in the contract: the double's URL, a timeout, a log that records warnings. */
export interface AdapterBase {
  baseUrl: string;
  timeoutMs: number;
  log: { warn(fields: Record<string, unknown>): void };
}

/** Where an adapter of the contract points (the file's double unless given) and its timeout (5 s unless given). */
export interface AdapterOptions {
  on?: { baseUrl: string };
  timeoutMs?: number;
}

/** One booking as the double's admin API lists it, in the contract's terms. */
export interface SandboxBooking {
  /** The carrier's key for the booking: our idempotency key, or the key the carrier derives from it. */
  key: string;
  bookingId: string;
  /** The engine's tracking number for it (null while the carrier has not made the parcel). */
  trackingNumber: string | null;
  kind: 'shipment' | 'return';
  /** `booked` (nothing scanned yet), `cancelled`, or the carrier's own word for anything after. */
  state: string;
  codAmount?: number | null;
  /** The summary as the double sent it. */
  raw?: Record<string, unknown>;
}

/** A scan to add, as the body of the admin API's POST /shipments/:trackingNumber/advance (`{}`: the next on the happy path). */
export type Scan = Record<string, unknown>;
/** A tracking event as the contract compares it: the carrier's raw code and the engine's status. */
export type Mapped = [rawCode: string, status: TrackingStatus];
/** Overrides of a parcel; `to` is merged into the kit's customer. */
export type ParcelOverrides = Partial<Omit<ShipmentRequest, 'to'>> & { to?: Partial<Address> };

export interface CarrierKit<Config = object> {
  /**
   * The carrier's connector (carriers/<carrier>/index.ts): its name, which quotes, bookings and warnings
   * carry, and what it takes; the suite tests express, cash on delivery and returns where it has them.
   */
  connector: { name: string; capabilities: CarrierCapabilities };
  /** Its sandbox double, mounted alone for the file with these options. */
  double: CarrierDouble<string, unknown, never>;
  doubleOptions?: object;
  /** The adapter against the double: the sandbox's credentials, then `base`, then `overrides`. */
  adapter: (base: AdapterBase, overrides?: Partial<Config>) => CarrierAdapter;
  /** A customer the carrier delivers to, with all it asks for (a district, a phone, …). */
  customer: Address;
  /** A new idempotency key for a booking, shaped as the engine makes them (`S-<uuid>:book` unless given). */
  newKey?: () => string;
  /** The carrier's key for one of ours, as its double lists bookings (ours itself where the carrier takes it). */
  keyFor: (idempotencyKey: string) => string;
  /**
   * Reads one entry of the double's GET /shipments: its key and state at least; the booking id and
   * tracking number are the key unless given, `kind` and `codAmount` the summary's fields of those names.
   */
  booking: (summary: Record<string, unknown>) => Pick<SandboxBooking, 'key' | 'state'> & Partial<SandboxBooking>;
  /** The double's operation (a fault's `on`) each call that reaches the carrier goes through. */
  operations: Partial<Record<WireCall, string>> & { book: string; track: string; cancel: string };
  /** Every operation of a booking that may create it and lose the reply. */
  bookingOperations: [string, ...string[]];
  /** The carrier codes the adapter's failures name. */
  codes: {
    serverError: string;
    rateLimited: string;
    /** A carrier that is down (503). */
    unavailable: string;
    addressRejected: string;
    badCredentials: string;
    /** Cancelling a parcel the carrier has scanned. */
    notCancellable: string;
  };
  /** Configuration the carrier refuses as bad credentials (codes.badCredentials). */
  wrongCredentials: Partial<Config>;
  /** An address the carrier refuses (codes.addressRejected). */
  badAddress: Partial<Address>;
  /** What the adapter refuses before any call, quoting and booking (`quote: false`: booking only). */
  refusedWithoutCall: Array<{ parcel: ParcelOverrides; quote?: false }>;
  tracking: {
    /** Tracking right after booking, before any scan. */
    booked: Mapped[];
    /** The statuses tracking shows after a cancel. */
    cancelled: TrackingStatus[];
    /** The scans from booking to delivery (the end of the double's path) and every event tracking shows. */
    happyPath: { scans: Scan[]; events: Mapped[]; lastLocation: string; utcOffset?: string };
    /** Scans off the happy path and their events (after the booked ones): the rest of the carrier's table. */
    table: { scans: Scan[]; events: Mapped[] };
    /** Scans whose codes the carrier's table lacks, and those raw codes. */
    unknown: { scans: Scan[]; rawCodes: string[] };
    /** The carrier reports each parcel's current state only, no history: the suite tracks after every scan and keeps each event once. */
    snapshots?: boolean;
  };
  /** Replies the adapter cannot read: the call, the operation (the call's own unless given), what the failure names. */
  malformed: Array<{ call: WireCall; operation?: string; variant?: 'invalid-json' | 'wrong-shape'; names: string }>;
  /** A carrier with bearer tokens: the token call's path below the API, and the double's options for a token TTL. */
  tokens?: { path: string; ttl: (seconds: number) => object };
  /** More checks of a label's text (its PDF or ZPL) where the carrier sends one. */
  labelText?: (text: string, booking: Booking) => void;
}

/** A customer in Istanbul with all a Turkish carrier asks for; its first line has characters XML must escape. */
export const ISTANBUL_CUSTOMER: Address = {
  name: 'Ayşe Yılmaz',
  line1: 'Bağdat Cad. 12 & Sok. <3>',
  city: 'İstanbul',
  district: 'Kadıköy',
  postalCode: '34710',
  countryCode: 'TR',
  phone: '+90 555 000 0000',
};

/** What a carrier that serves Turkey only refuses before any call: a parcel abroad, a service it lacks, cash in another currency. */
export const domesticRefusals = (missingService: ShipmentRequest['service']): CarrierKit['refusedWithoutCall'] => [
  { parcel: { to: { countryCode: 'DE' } } },
  { parcel: { service: missingService } },
  { parcel: { cashOnDelivery: { amount: 10, currency: 'EUR' } } },
];

/** An ISO date some days from now. */
export const daysAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Registers the contract suite for one carrier; returns the handles its own tests use. */
export function carrierContract<Config>(kit: CarrierKit<Config>) {
  const { name, capabilities } = kit.connector;
  const { codes } = kit;
  let sandbox: DoubleSandbox<unknown>;
  let carrier: CarrierAdapter;
  const warnings: Array<Record<string, unknown>> = [];
  const admin = carrierAdmin(() => sandbox.app, name);
  const injectFault = (fault: Record<string, unknown>) => admin.injectFault(fault);

  /** An adapter against `on` (the file's double unless given), with a 5 s timeout unless given. */
  function adapter(overrides: Partial<Config> = {}, { on = sandbox, timeoutMs = 5_000 }: AdapterOptions = {}) {
    const base: AdapterBase = { baseUrl: on.baseUrl, timeoutMs, log: { warn: (fields) => warnings.push(fields) } };
    return kit.adapter(base, overrides);
  }

  beforeAll(async () => {
    sandbox = await startDouble(kit.double, kit.doubleOptions as never);
    carrier = adapter();
  });
  afterAll(() => sandbox.close());
  afterEach(() => admin.clearFaults());

  const newKey = kit.newKey ?? (() => `S-${randomUUID()}:book`);

  /** A booking as the double lists it, with the defaults the kit leaves out. */
  function readBooking(summary: Record<string, unknown>): SandboxBooking {
    const read = kit.booking(summary);
    return {
      bookingId: read.key,
      trackingNumber: read.key,
      kind: summary.kind as SandboxBooking['kind'],
      codAmount: summary.codAmount as number | null | undefined,
      raw: summary,
      ...read,
    };
  }

  function parcel({ to, ...overrides }: ParcelOverrides = {}): ShipmentRequest {
    return {
      shipmentId: `S-${randomUUID().slice(0, 8)}`,
      orderId: `O-${randomUUID().slice(0, 8)}`,
      warehouseId: 'IST-1',
      to: { ...kit.customer, ...to },
      parcel: { weightGrams: 1_200, lengthCm: 30, widthCm: 20, heightCm: 10 },
      service: 'standard',
      ...overrides,
    };
  }

  async function advance(trackingNumber: string, scan: Scan = {}): Promise<void> {
    await admin.post(`/shipments/${trackingNumber}/advance`, scan).expect(201);
  }

  /** Adds the scans; the events tracking shows for them: asked at the end, or after each scan where the carrier keeps no history. */
  async function scanAndTrack(trackingNumber: string, scans: Scan[]): Promise<TrackingEvent[]> {
    const seen = new Map<string, TrackingEvent>();
    for (const scan of scans) {
      await advance(trackingNumber, scan);
      if (kit.tracking.snapshots) for (const event of await carrier.track([trackingNumber])) seen.set(event.eventId, event);
    }
    return kit.tracking.snapshots ? [...seen.values()] : carrier.track([trackingNumber]);
  }

  /** The double's bookings under one of our keys. */
  async function bookingsUnder(idempotencyKey: string): Promise<SandboxBooking[]> {
    const { body } = await admin.get('/shipments').expect(200);
    const key = kit.keyFor(idempotencyKey);
    return (body.shipments as Array<Record<string, unknown>>).map(readBooking).filter((b) => b.key === key);
  }

  async function liveCount(): Promise<number> {
    const { body } = await admin.get('/shipments').expect(200);
    return body.live as number;
  }

  const calls = (status?: number) => sandbox.calls.filter((c) => status === undefined || c.status === status).length;
  const tokenCalls = (on = sandbox) => on.calls.filter((c) => c.path === `/${name}${kit.tokens?.path}` && c.status === 200).length;

  /** The label is the carrier's own (a PDF or ZPL it sends) or a barcode of the tracking number. */
  function expectLabel(booking: Booking): void {
    const { labelFormats } = carrier.capabilities;
    if (labelFormats.length === 0) {
      expect(booking.labelRef).toBe(`barcode:${booking.trackingNumber}`);
      return;
    }
    const match = LABEL_DATA_URL.exec(booking.labelRef);
    const format = match?.[1] as 'pdf' | 'zpl';
    expect(labelFormats).toContain(format);
    const text = Buffer.from(match![2], 'base64').toString(format === 'pdf' ? 'latin1' : 'utf8');
    const [start, end] = format === 'pdf' ? ['%PDF-', '%%EOF'] : ['^XA', '^XZ'];
    expect(text.startsWith(start)).toBe(true);
    expect(text.trimEnd().endsWith(end)).toBe(true);
    kit.labelText?.(text, booking);
  }

  const wireCalls = (Object.keys(kit.operations) as WireCall[]).filter((c) => kit.operations[c]);

  /** A call ready to make through `on`: what it needs booked is booked first, under `key`. */
  async function prepare(call: WireCall, key: string): Promise<(on: CarrierAdapter) => Promise<unknown>> {
    switch (call) {
      case 'quote':
        return (on) => on.quote(parcel());
      case 'book':
        return (on) => on.book(parcel(), key);
      case 'pickup':
        return (on) => on.schedulePickup!(pickupRequest(key));
      case 'track': {
        const { trackingNumber } = await carrier.book(parcel(), key);
        return (on) => on.track([trackingNumber]);
      }
      case 'cancel':
        await carrier.book(parcel(), key);
        return (on) => on.cancel(key);
    }
  }

  /** A pickup three days ahead, 15:00-18:00: within every carrier's lead time. */
  const pickupRequest = (idempotencyKey: string, date = daysAhead(3)) => ({
    warehouseId: 'IST-1',
    date,
    readyTime: '15:00',
    closeTime: '18:00',
    parcels: 2,
    idempotencyKey,
  });
  /** How many pickups the double holds scheduled (a double of a carrier with pickups lists them at GET /pickups). */
  const scheduledPickups = async () => (await admin.get('/pickups').expect(200)).body.scheduled as number;

  /** Where a call is injected with a fault: its operation. */
  const on = (call: WireCall) => [kit.operations[call]!];

  const { services, cashOnDelivery, returns } = capabilities;

  describe('the carrier contract', () => {
    describe('the happy path', () => {
      test('quotes standard service with a price in TRY and transit days', async () => {
        expect(carrier.capabilities).toEqual(capabilities);
        const quote = await carrier.quote(parcel());
        const priced = { amount: expect.any(Number), currency: 'TRY', transitDays: expect.any(Number) };
        expect(quote).toEqual({ carrier: name, service: 'standard', ...priced });
      });

      if (services.includes('express')) {
        test('express costs more and arrives sooner', async () => {
          const standard = await carrier.quote(parcel());
          const express = await carrier.quote(parcel({ service: 'express' }));
          expect(express.service).toBe('express');
          expect(express.amount).toBeGreaterThan(standard.amount);
          expect(express.transitDays).toBeLessThan(standard.transitDays);
        });
      }

      if (cashOnDelivery) {
        test('cash on delivery costs more', async () => {
          const plain = await carrier.quote(parcel());
          const cod = await carrier.quote(parcel({ cashOnDelivery: { amount: 250, currency: 'TRY' } }));
          expect(cod.amount).toBeGreaterThan(plain.amount);
        });
      }

      test('what the carrier cannot take is refused without a call, even while the carrier is down', async () => {
        await injectFault({ kind: 'down' });
        const before = calls();
        for (const refused of kit.refusedWithoutCall) {
          const request = parcel(refused.parcel);
          const key = newKey();
          const failures = [await failureOf(carrier.book(request, key))];
          if (refused.quote !== false) failures.push(await failureOf(carrier.quote(request)));
          for (const failure of failures) {
            expect(failure.nonRetryable).toBe(true);
            expect(failure.type).toBe('CarrierRefused');
          }
          expect(await bookingsUnder(key)).toHaveLength(0);
        }
        expect(calls()).toBe(before);
      });

      test("books a shipment with a tracking number and the carrier's label; tracking numbers are unique", async () => {
        const key = newKey();
        const booking = await carrier.book(parcel(), key);
        const [bookingId, trackingNumber, labelRef] = [expect.any(String), expect.any(String), expect.any(String)];
        const { trackingSubscribed, ...asBooked } = booking;
        expect(asBooked).toEqual({ carrier: name, bookingId, trackingNumber, labelRef, idempotencyKey: key });
        // A carrier whose booking also subscribes the parcel to its pushed scans (UPS) says it took.
        expect(trackingSubscribed).toBe(capabilities.pushTracking ? true : undefined);
        expectLabel(booking);
        const booked = { key: kit.keyFor(key), bookingId: booking.bookingId, trackingNumber: booking.trackingNumber, kind: 'shipment' };
        expect(await bookingsUnder(key)).toEqual([expect.objectContaining({ ...booked, state: 'booked' })]);
        expect((await carrier.book(parcel(), newKey())).trackingNumber).not.toBe(booking.trackingNumber);
      });

      test('the same key books once: the repeat returns the first booking, and one booking is live', async () => {
        const key = newKey();
        const liveBefore = await liveCount();
        const first = await carrier.book(parcel(), key);
        const again = await carrier.book(parcel(), key);
        expect(again).toEqual(first);
        expect(await bookingsUnder(key)).toHaveLength(1);
        expect(await liveCount()).toBe(liveBefore + 1);
      });

      if (cashOnDelivery) {
        test('cash on delivery in TRY is booked with the amount to collect', async () => {
          const key = newKey();
          await carrier.book(parcel({ cashOnDelivery: { amount: 199.9, currency: 'TRY' } }), key);
          expect(await bookingsUnder(key)).toEqual([expect.objectContaining({ codAmount: 199.9 })]);
        });
      }

      test('cancel cancels the booking made under the key; repeating it, or cancelling an unknown key, is a no-op', async () => {
        const key = newKey();
        const booking = await carrier.book(parcel(), key);
        const liveBefore = await liveCount();
        await carrier.cancel(key);
        await carrier.cancel(key);
        await carrier.cancel(newKey());
        const cancelled = { bookingId: booking.bookingId, state: 'cancelled' };
        expect(await bookingsUnder(key)).toEqual([expect.objectContaining(cancelled)]);
        expect(await liveCount()).toBe(liveBefore - 1);
        const events = await carrier.track([booking.trackingNumber]);
        expect(events.map((e) => e.status)).toEqual(kit.tracking.cancelled);
      });

      test('a parcel the carrier has scanned can no longer be cancelled: a non-retryable refusal with the carrier code', async () => {
        const key = newKey();
        const booking = await carrier.book(parcel(), key);
        await advance(booking.trackingNumber); // the first scan
        const failure = await failureOf(carrier.cancel(key));
        expect(failure.nonRetryable).toBe(true);
        expect(failure.type).toBe('CarrierRefused');
        expect(failure.message).toContain(kit.codes.notCancellable);
      });

      test("tracking maps the carrier's raw codes on the happy path onto the engine's statuses, oldest first", async () => {
        const { scans, events: expected, lastLocation, utcOffset } = kit.tracking.happyPath;
        const booking = await carrier.book(parcel(), newKey());
        const booked = await carrier.track([booking.trackingNumber]);
        expect(booked.map((e) => [e.rawCode, e.status])).toEqual(kit.tracking.booked);
        const events = await scanAndTrack(booking.trackingNumber, scans);
        await admin.post(`/shipments/${booking.trackingNumber}/advance`).expect(409); // delivered: the end of the path
        expect(events.map((e) => [e.rawCode, e.status])).toEqual(expected);
        expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
        expect(events.every((e) => e.trackingNumber === booking.trackingNumber)).toBe(true);
        expect(events.every((e) => !Number.isNaN(Date.parse(e.occurredAt)))).toBe(true);
        if (utcOffset) expect(events.every((e) => e.occurredAt.endsWith(utcOffset))).toBe(true);
        expect(Math.abs(Date.parse(events[0].occurredAt) - Date.now())).toBeLessThan(60_000);
        expect(Date.parse(events.at(-1)!.occurredAt)).toBeGreaterThan(Date.parse(events[0].occurredAt));
        expect(events.at(-1)?.location).toBe(lastLocation);
      });

      test("every other code of the carrier's table maps onto its engine status", async () => {
        const booking = await carrier.book(parcel(), newKey());
        const events = await scanAndTrack(booking.trackingNumber, kit.tracking.table.scans);
        expect(events.map((e) => [e.rawCode, e.status])).toEqual([...kit.tracking.booked, ...kit.tracking.table.events]);
      });

      test('a code the table lacks becomes unknown and is logged once with the raw value', async () => {
        const { scans, rawCodes } = kit.tracking.unknown;
        const booking = await carrier.book(parcel(), newKey());
        const events = await scanAndTrack(booking.trackingNumber, scans);
        await carrier.track([booking.trackingNumber]);
        const unknown = rawCodes.map((code) => [code, 'unknown']);
        expect(events.map((e) => [e.rawCode, e.status])).toEqual([...kit.tracking.booked, ...unknown]);
        for (const rawCode of rawCodes) expect(warnings.filter((w) => w.rawCode === rawCode)).toEqual([{ carrier: name, rawCode }]);
      });

      if (returns) {
        test('createReturn books a return under its own key, once per key', async () => {
          const key = `S-${randomUUID()}:return`;
          const label = await carrier.createReturn(parcel(), key);
          const again = await carrier.createReturn(parcel(), key);
          expect(again).toEqual(label);
          expectLabel(label);
          const booked = { bookingId: label.bookingId, trackingNumber: label.trackingNumber, kind: 'return', state: 'booked' };
          expect(await bookingsUnder(key)).toEqual([expect.objectContaining(booked)]);
        });
      }
    });

    if (capabilities.pickups) {
      describe('courier pickups', () => {
        test("a pickup is booked with the carrier's number for it; the same day again gets the same pickup; cancel cancels it, safe to repeat", async () => {
          const date = daysAhead(4);
          const before = await scheduledPickups();
          const pickup = await carrier.schedulePickup!(pickupRequest(newKey(), date));
          expect(pickup).toEqual({ carrier: name, pickupId: expect.any(String), date });
          const again = await carrier.schedulePickup!(pickupRequest(newKey(), date));
          expect(again.pickupId).toBe(pickup.pickupId);
          expect(await scheduledPickups()).toBe(before + 1);

          await carrier.cancelPickup!(pickup.pickupId);
          await carrier.cancelPickup!(pickup.pickupId);
          expect(await scheduledPickups()).toBe(before);
          const rebooked = await carrier.schedulePickup!(pickupRequest(newKey(), date));
          expect(rebooked.pickupId).not.toBe(pickup.pickupId);
          await carrier.cancelPickup!(rebooked.pickupId);
        });
      });
    }

    describe('refusals', () => {
      test('an address the carrier refuses is non-retryable AddressRejected with the carrier code, and nothing is booked', async () => {
        const key = newKey();
        const failure = await failureOf(carrier.book(parcel({ to: kit.badAddress }), key));
        expect(failure.nonRetryable).toBe(true);
        expect(failure.type).toBe(ADDRESS_REJECTED);
        expect(failure.message).toContain(kit.codes.addressRejected);
        expect(await bookingsUnder(key)).toHaveLength(0);
      });

      test('wrong credentials are a non-retryable refusal naming the carrier code, on every call that reaches the carrier', async () => {
        const wrong = adapter(kit.wrongCredentials);
        for (const call of wireCalls.filter((c) => c === 'quote' || c === 'book')) {
          const failure = await failureOf((await prepare(call, newKey()))(wrong));
          expect(failure.nonRetryable).toBe(true);
          expect(failure.type).toBe('CarrierRefused');
          expect(failure.message).toContain(kit.codes.badCredentials);
        }
      });
    });

    const { tokens } = kit;
    if (tokens) {
      describe('tokens', () => {
        const firstCall = wireCalls[0];

        test('the token is fetched once and reused while it is valid', async () => {
          const fresh = adapter();
          const before = tokenCalls();
          for (const call of wireCalls.filter((c) => c !== 'pickup')) await (await prepare(call, newKey()))(fresh);
          expect(tokenCalls()).toBe(before + 1);
        });

        test('a token revoked early is replaced: one 401, one new token, and the call succeeds', async () => {
          const fresh = adapter();
          const call = await prepare(firstCall, newKey());
          await call(fresh);
          const [issued, unauthorized] = [tokenCalls(), calls(401)];
          await admin.post('/tokens/revoke').expect(204);
          await call(fresh);
          expect(tokenCalls()).toBe(issued + 1);
          expect(calls(401)).toBe(unauthorized + 1);
        });

        test('a token is replaced before it expires: no call is refused', async () => {
          const shortLived = await startDouble(kit.double, { ...kit.doubleOptions, ...tokens.ttl(2) });
          try {
            const fresh = adapter({}, { on: shortLived });
            await fresh.quote(parcel());
            await new Promise((resolve) => setTimeout(resolve, 2_100)); // past the token's expiry
            await expect(fresh.quote(parcel())).resolves.toMatchObject({ carrier: name });
            expect(tokenCalls(shortLived)).toBe(2);
            expect(shortLived.calls.filter((c) => c.status === 401)).toHaveLength(0);
          } finally {
            await shortLived.close();
          }
        });
      });
    }

    describe('faults', () => {
      const answers = [
        { what: 'a 5xx', fault: { kind: 'error', status: 502 }, type: 'CarrierUnavailable', names: ['HTTP 502', codes.serverError] },
        // nextRetryDelay is taken from the Retry-After header
        {
          what: '429 with Retry-After',
          fault: { kind: 'rate-limit', retryAfterSeconds: 7 },
          type: 'CarrierRateLimited',
          names: [codes.rateLimited],
        },
      ];
      const retryable = wireCalls.flatMap((call) => answers.map((answer) => ({ call, ...answer })));
      test.each(retryable)('$what on $call is a retryable $type naming the carrier code; the next call succeeds', async (answer) => {
        const make = await prepare(answer.call, newKey());
        await injectFault({ ...answer.fault, on: on(answer.call), times: 1 });
        const failure = await failureOf(make(carrier));
        expect(failure.nonRetryable).toBe(false);
        expect(failure.type).toBe(answer.type);
        for (const named of answer.names) expect(failure.message).toContain(named);
        if (answer.fault.kind === 'rate-limit') expect(failure.nextRetryDelay).toBe(7_000);
        await make(carrier);
      });

      test.each(wireCalls)('a carrier that never answers %s ends in a retryable timeout', async (call) => {
        const make = await prepare(call, newKey());
        const impatient = adapter({}, { timeoutMs: 300 });
        await injectFault({ kind: 'hang', on: on(call), times: 1 });
        const failure = await failureOf(make(impatient));
        expect(failure.nonRetryable).toBe(false);
        expect(failure.type).toBe('CarrierTimeout');
        expect(failure.message).toContain('no answer within 300 ms');
      });

      test.each(wireCalls)('latency on %s within the timeout only slows the call down; past it, a retryable timeout', async (call) => {
        const make = await prepare(call, newKey());
        await injectFault({ kind: 'latency', ms: 100, on: on(call), times: 1 });
        const started = Date.now();
        await make(adapter({}, { timeoutMs: 2_000 }));
        expect(Date.now() - started).toBeGreaterThanOrEqual(100);

        const late = await prepare(call, newKey());
        await injectFault({ kind: 'latency', ms: 1_000, on: on(call), times: 1 });
        const failure = await failureOf(late(adapter({}, { timeoutMs: 300 })));
        expect(failure.nonRetryable).toBe(false);
        expect(failure.type).toBe('CarrierTimeout');
        expect(failure.message).toContain('no answer within 300 ms');
        // The carrier still acts on the late call after we gave up (a cancel lands ~700 ms later):
        // let it land here, not in a later test that counts live bookings.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      });

      const malformed = kit.malformed.map((bad) => ({ variant: 'invalid-json', operation: kit.operations[bad.call]!, ...bad }));
      test.each(malformed)('a reply to $operation the adapter cannot read ($variant) is a retryable malformed response', async (bad) => {
        const make = await prepare(bad.call, newKey());
        await injectFault({ kind: 'malformed', variant: bad.variant, on: [bad.operation], times: 1 });
        const failure = await failureOf(make(carrier));
        expect(failure.nonRetryable).toBe(false);
        expect(failure.type).toBe('CarrierMalformedResponse');
        expect(failure.message).toContain(bad.names);
      });

      test('a carrier that is down fails every call retryably until it is back', async () => {
        const made = [];
        for (const call of wireCalls) made.push(await prepare(call, newKey()));
        await injectFault({ kind: 'down' });
        const fresh = adapter(); // a fresh adapter: where the carrier issues tokens, the token call fails first
        for (const make of made) {
          const failure = await failureOf(make(fresh));
          expect(failure.nonRetryable).toBe(false);
          expect(failure.type).toBe('CarrierUnavailable');
          expect(failure.message).toContain(tokens ? `${name} token: HTTP 503` : 'HTTP 503');
          expect(failure.message).toContain(kit.codes.unavailable);
        }
        await admin.clearFaults();
        for (const make of made) await make(fresh);
      });

      const lost = 'created but the %s response lost: the retry with the same key returns the same booking, and one is live';
      test.each(kit.bookingOperations)(lost, async (operation) => {
        const key = newKey();
        const liveBefore = await liveCount();
        await injectFault({ kind: 'lose-response', on: [operation], times: 1 });
        const failure = await failureOf(carrier.book(parcel(), key));
        expect(failure.nonRetryable).toBe(false);
        expect(failure.type).toBe('CarrierUnavailable');
        expect(await bookingsUnder(key)).toHaveLength(1); // the carrier did create it

        const booking = await carrier.book(parcel(), key);
        expect(booking.idempotencyKey).toBe(key);
        expectLabel(booking);
        const live = { bookingId: booking.bookingId, trackingNumber: booking.trackingNumber, state: 'booked' };
        expect(await bookingsUnder(key)).toEqual([expect.objectContaining(live)]);
        expect(await liveCount()).toBe(liveBefore + 1);
      });

      test('an error rate is repeatable: the same seed fails the same calls', async () => {
        const pattern = async () => {
          await admin.clearFaults();
          await injectFault({ kind: 'error', status: 503, probability: 0.5, seed: 42, on: on('book') });
          const outcomes: string[] = [];
          const outcome = (booking: Promise<unknown>) =>
            booking.then(
              () => 'ok',
              () => 'failed',
            );
          for (let i = 0; i < 10; i++) outcomes.push(await outcome(carrier.book(parcel(), newKey())));
          return outcomes;
        };
        const first = await pattern();
        expect(await pattern()).toEqual(first);
        expect(first).toContain('ok');
        expect(first).toContain('failed');
      });
    });
  });

  return {
    /** The file's adapter, built in beforeAll. */
    get carrier() {
      return carrier;
    },
    /** The file's double: its app, state, URL and the calls it answered. */
    get sandbox() {
      return sandbox;
    },
    adapter,
    admin,
    injectFault,
    warnings,
    newKey,
    parcel,
    advance,
    bookingsUnder,
    liveCount,
    expectLabel,
  };
}
