// An Amazon buyer's shipping address in SP-API's shape (orders-v0.json Address), for the double's and the intake's tests.
export const AMAZON_ISTANBUL = {
  Name: 'Ayşe Yılmaz',
  AddressLine1: 'Bağdat Cad. 1',
  City: 'İstanbul',
  District: 'Kadıköy',
  PostalCode: '34710',
  CountryCode: 'TR',
  Phone: '+90 532 000 00 00',
};
