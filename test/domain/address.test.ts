// An address's state or province (issue 25): its form everywhere, the US and Canadian lists where
// the country is one of those, and the published JSON Schema saying the same as zod, so the
// contract fuzzer's valid requests are ones we accept.
import Ajv2020 from 'ajv/dist/2020';
import { z } from 'zod';
import { AddressSchema, type Address } from '../../domain/order';
import { CA_PROVINCE_CODES, subdivisionCode, US_STATE_CODES } from '../../domain/subdivisions';

const NEW_YORK: Address = { name: 'John Doe', line1: '350 Fifth Avenue', city: 'New York', postalCode: '10118', countryCode: 'US' };
const KADIKOY: Address = {
  name: 'Ayşe Yılmaz',
  line1: 'Bağdat Cad. 12',
  city: 'İstanbul',
  district: 'Kadıköy',
  postalCode: '34710',
  countryCode: 'TR',
};

const issues = (address: object) => {
  const parsed = AddressSchema.safeParse(address);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

test('a US, Canadian or other state code is taken; an address without one still is, in the US too', () => {
  expect(issues({ ...NEW_YORK, stateCode: 'NY' })).toEqual([]);
  expect(issues({ ...NEW_YORK, stateCode: 'PR' })).toEqual([]); // a territory
  expect(issues({ ...NEW_YORK, city: 'Toronto', stateCode: 'QC', postalCode: 'H2Y 1C6', countryCode: 'CA' })).toEqual([]);
  expect(issues({ ...NEW_YORK, city: 'Hà Nội', stateCode: 'HN', postalCode: '100000', countryCode: 'VN' })).toEqual([]);
  expect(issues(KADIKOY)).toEqual([]);
  expect(issues(NEW_YORK)).toEqual([]);
  expect(AddressSchema.parse({ ...NEW_YORK, stateCode: 'NY' }).stateCode).toBe('NY');
});

test('a state code of the wrong form is refused naming the field, whatever the country', () => {
  const form = 'stateCode: must be a state or province code: the part after the dash of an ISO 3166-2 code, such as NY for US-NY';
  for (const stateCode of ['ny', 'New York', 'US-NY', 'ABCD', ''])
    expect(issues({ ...KADIKOY, countryCode: 'DE', stateCode })).toEqual([form]);
  expect(issues({ ...NEW_YORK, stateCode: 'ny' })).toEqual([form]); // one issue: the form, not the list as well
});

test("a US or Canadian address whose state is not one of the country's is refused with a clear error naming the field", () => {
  expect(issues({ ...NEW_YORK, stateCode: 'ZZ' })).toEqual([
    'stateCode: must be a US state or territory code such as NY for countryCode US',
  ]);
  expect(issues({ ...NEW_YORK, stateCode: 'ON' })).toEqual([
    'stateCode: must be a US state or territory code such as NY for countryCode US',
  ]);
  expect(issues({ ...NEW_YORK, stateCode: 'NY', countryCode: 'CA' })).toEqual([
    'stateCode: must be a Canadian province or territory code such as ON for countryCode CA',
  ]);
  expect(issues({ ...KADIKOY, stateCode: 'ZZ' })).toEqual([]); // no list kept for Turkey: the form alone
});

test('the lists: 50 states, DC and 6 outlying areas; 10 provinces and 3 territories', () => {
  expect(new Set(US_STATE_CODES).size).toBe(57);
  expect(new Set(CA_PROVINCE_CODES).size).toBe(13);
});

test('the published JSON Schema accepts and refuses the same addresses as zod (the contract fuzzer relies on it)', () => {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(AddressSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const validate = new Ajv2020({ strict: false }).compile(schema);
  const cases = [
    NEW_YORK,
    KADIKOY,
    { ...NEW_YORK, stateCode: 'NY' },
    { ...NEW_YORK, stateCode: 'ZZ' },
    { ...NEW_YORK, stateCode: 'ON', countryCode: 'CA' },
    { ...NEW_YORK, stateCode: 'NY', countryCode: 'CA' },
    { ...NEW_YORK, stateCode: 'ZZ', countryCode: 'DE' },
    { ...NEW_YORK, stateCode: 'ny' },
  ];
  for (const address of cases) expect([address, validate(address)]).toEqual([address, AddressSchema.safeParse(address).success]);
});

test("a storefront's state field as a code: without the country's prefix, nothing where it is not a code", () => {
  expect(subdivisionCode('US', ' ny ')).toBe('NY');
  expect(subdivisionCode('JP', 'JP-13')).toBe('13'); // Shopify
  expect(subdivisionCode('TR', 'TR34')).toBe('34'); // WooCommerce
  expect(subdivisionCode('CO', 'COR')).toBe('COR'); // Córdoba (CO-COR) keeps its letters
  expect(subdivisionCode('DE', 'Berlin')).toBeUndefined();
  expect(subdivisionCode('DE', undefined)).toBeUndefined();
});
