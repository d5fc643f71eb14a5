// Phone numbers as the engine stores and compares them: E.164. Shared by the SMS notifications
// (the number a message goes to) and the API's opt-outs (the number a customer asks us to spare),
// so both sides of the ledger's comparison normalize the same way.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** +905321234567 for "0532 123 45 67" in Turkey; undefined when it is not a valid number. */
export function toE164(phone: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phone, country.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}
