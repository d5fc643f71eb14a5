// States and provinces: an address's first-level subdivision, as the subdivision part of its ISO
// 3166-2 code (NY for US-NY, ON for CA-ON). For the US and Canada these are also the postal
// abbreviations carriers ask for (UPS's StateProvinceCode), so the codes are checked against the
// lists below; elsewhere only their form is.

/** The subdivision part of an ISO 3166-2 code: 1-3 upper-case letters or digits (US-NY → NY, VN-44 → 44, IE-D → D). */
export const SUBDIVISION_CODE = /^[A-Z0-9]{1,3}$/;

/**
 * ISO 3166-2:US: the 50 states, the District of Columbia and the outlying areas (American Samoa,
 * Guam, the Northern Mariana Islands, Puerto Rico, the Minor Outlying Islands, the Virgin Islands).
 * Not the USPS's military codes (AA, AE, AP): they are no subdivision, and parcel carriers do not
 * deliver to APO/FPO addresses.
 */
// prettier-ignore
export const US_STATE_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'DC',
  'AS', 'GU', 'MP', 'PR', 'UM', 'VI',
] as const;

/** ISO 3166-2:CA: the 10 provinces and 3 territories. */
// prettier-ignore
export const CA_PROVINCE_CODES = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'ON', 'PE', 'QC', 'SK', 'NT', 'NU', 'YT'] as const;

/** The countries whose codes are checked against a list, and what each list is called in an error. */
export const KNOWN_SUBDIVISIONS: Readonly<Record<string, { codes: readonly string[]; what: string }>> = {
  US: { codes: US_STATE_CODES, what: 'a US state or territory code such as NY' },
  CA: { codes: CA_PROVINCE_CODES, what: 'a Canadian province or territory code such as ON' },
};

/** Why `stateCode` cannot be a subdivision of `countryCode`; undefined when it can (or the country's list is not kept). */
export function whyNotSubdivision(countryCode: string, stateCode: string): string | undefined {
  const known = KNOWN_SUBDIVISIONS[countryCode];
  if (!known || known.codes.includes(stateCode)) return undefined;
  return `must be ${known.what} for countryCode ${countryCode}`;
}

/**
 * A storefront's state or province field as a subdivision code, or undefined where it is none:
 * trimmed, upper-cased, without the country's prefix (Shopify's JP-13, WooCommerce's TR34). A value
 * of another form (a name, a code of more than three characters) is left out rather than refusing
 * the order: few countries need the state to ship (for UPS the US, Canada and Vietnam), and a US or
 * Canadian one is checked against the list.
 */
export function subdivisionCode(countryCode: string, raw: string | undefined): string | undefined {
  const upper = raw?.trim().toUpperCase();
  // Without the dash only before a digit: Colombia's Córdoba is CO-COR, not CO + R.
  const prefix = /^[A-Z]{2}$/.test(countryCode) ? new RegExp(`^${countryCode}(?:-|(?=\\d))`) : undefined;
  const code = prefix ? upper?.replace(prefix, '') : upper;
  return code && SUBDIVISION_CODE.test(code) ? code : undefined;
}
