// Where the demo's customers live and what they are called: real Turkish provinces (by their
// plate numbers, which also begin their postal codes) with real districts and streets, and a
// few European and overseas cities. Districts of İstanbul, Ankara and İzmir are ones the MNG
// sandbox knows (sandbox/mng/cbs.ts), so every Turkish carrier can route them.
import { TURKISH_PROVINCES } from '../domain/turkish-provinces';

export interface TurkishPlace {
  province: (typeof TURKISH_PROVINCES)[number];
  districts: string[];
  /** Shoppers are not spread evenly: the big cities order most. */
  weight: number;
}

export const TURKISH_PLACES: TurkishPlace[] = [
  {
    province: 'İstanbul',
    weight: 30,
    districts: [
      'Kadıköy',
      'Üsküdar',
      'Beşiktaş',
      'Şişli',
      'Ataşehir',
      'Bakırköy',
      'Beyoğlu',
      'Sarıyer',
      'Ümraniye',
      'Kağıthane',
      'Çekmeköy',
      'Esenyurt',
      'Küçükçekmece',
      'Beylikdüzü',
      'Pendik',
    ],
  },
  {
    province: 'Ankara',
    weight: 12,
    districts: ['Çankaya', 'Keçiören', 'Yenimahalle', 'Altındağ', 'Etimesgut', 'Gölbaşı', 'Pursaklar', 'Sincan'],
  },
  {
    province: 'İzmir',
    weight: 10,
    districts: ['Konak', 'Karşıyaka', 'Bornova', 'Buca', 'Çiğli', 'Balçova', 'Güzelbahçe', 'Çeşme', 'Urla'],
  },
  { province: 'Bursa', weight: 5, districts: ['Osmangazi', 'Nilüfer', 'Yıldırım', 'Gemlik', 'İnegöl'] },
  { province: 'Antalya', weight: 5, districts: ['Muratpaşa', 'Konyaaltı', 'Kepez', 'Alanya', 'Manavgat'] },
  { province: 'Kocaeli', weight: 3, districts: ['İzmit', 'Gebze', 'Gölcük', 'Körfez'] },
  { province: 'Eskişehir', weight: 3, districts: ['Tepebaşı', 'Odunpazarı'] },
  { province: 'Gaziantep', weight: 3, districts: ['Şahinbey', 'Şehitkamil'] },
  { province: 'Konya', weight: 3, districts: ['Selçuklu', 'Meram', 'Karatay'] },
  { province: 'Kayseri', weight: 2, districts: ['Melikgazi', 'Kocasinan', 'Talas'] },
  { province: 'Muğla', weight: 2, districts: ['Bodrum', 'Fethiye', 'Marmaris', 'Menteşe'] },
  { province: 'Trabzon', weight: 2, districts: ['Ortahisar', 'Akçaabat', 'Of'] },
  { province: 'Samsun', weight: 2, districts: ['Atakum', 'İlkadım', 'Canik'] },
  { province: 'Diyarbakır', weight: 2, districts: ['Kayapınar', 'Bağlar', 'Yenişehir'] },
  { province: 'Şanlıurfa', weight: 1, districts: ['Haliliye', 'Eyyübiye', 'Karaköprü'] },
  { province: 'Çanakkale', weight: 1, districts: ['Merkez', 'Gelibolu', 'Ayvacık'] },
  { province: 'Denizli', weight: 1, districts: ['Pamukkale', 'Merkezefendi'] },
  { province: 'Tekirdağ', weight: 1, districts: ['Süleymanpaşa', 'Çorlu', 'Çerkezköy'] },
  { province: 'Erzurum', weight: 1, districts: ['Yakutiye', 'Palandöken'] },
  { province: 'Muş', weight: 1, districts: ['Merkez', 'Bulanık'] },
  { province: 'Iğdır', weight: 1, districts: ['Merkez', 'Tuzluca'] },
  { province: 'Ağrı', weight: 1, districts: ['Merkez', 'Doğubayazıt'] },
  { province: 'Düzce', weight: 1, districts: ['Merkez', 'Akçakoca'] },
  { province: 'Kırşehir', weight: 1, districts: ['Merkez', 'Kaman'] },
];

/** Turkish postal codes begin with the province's plate number (34 İstanbul, 06 Ankara). */
export function plateOf(province: string): number {
  const index = (TURKISH_PROVINCES as readonly string[]).indexOf(province);
  if (index < 0) throw new Error(`${province} is none of Turkey's 81 provinces`);
  return index + 1;
}

export const TURKISH_STREETS = [
  'Bağdat Caddesi',
  'İstiklal Caddesi',
  'Atatürk Bulvarı',
  'Cumhuriyet Caddesi',
  'Gazi Mustafa Kemal Bulvarı',
  'İnönü Caddesi',
  'Şehit Öğretmen Sokak',
  'Gül Sokak',
  'Çiçek Sokak',
  'Menekşe Sokak',
  'Kıbrıs Şehitleri Caddesi',
  'Fevzi Çakmak Caddesi',
  'Hürriyet Caddesi',
  'Değirmen Sokak',
  'Işıklar Caddesi',
  'Üniversite Caddesi',
  'Barış Manço Caddesi',
  'Gençlik Caddesi',
  'Şair Nedim Sokak',
  'Yıldız Sokak',
];

export const TURKISH_NEIGHBOURHOODS = [
  'Cumhuriyet Mahallesi',
  'Fatih Mahallesi',
  'Yeşilköy Mahallesi',
  'Çamlık Mahallesi',
  'Bahçelievler Mahallesi',
  'Gülbahçe Mahallesi',
  'Şirinevler Mahallesi',
  'Kızılırmak Mahallesi',
  'Güzeltepe Mahallesi',
  'İstiklal Mahallesi',
];

export const TURKISH_FIRST_NAMES = [
  'Ayşe',
  'Mehmet',
  'Zeynep',
  'Emre',
  'Elif',
  'Mustafa',
  'Gülşen',
  'Çağla',
  'Şükrü',
  'Ömer',
  'İbrahim',
  'Özge',
  'Ümit',
  'Barış',
  'Doğan',
  'Ilgın',
  'Büşra',
  'Gökhan',
  'Şeyma',
  'Can',
  'Irmak',
  'Tuğba',
  'Oğuz',
  'Sevgül',
  'İrem',
];

export const TURKISH_LAST_NAMES = [
  'Yılmaz',
  'Öztürk',
  'Çelik',
  'Şahin',
  'Doğan',
  'Kılıç',
  'Aslan',
  'Çetin',
  'Koç',
  'Kurt',
  'Özdemir',
  'Arslan',
  'Aydın',
  'Güneş',
  'Yıldız',
  'Yıldırım',
  'Bulut',
  'Güler',
  'Işık',
  'Ünal',
  'Kaya',
  'Demir',
  'Şimşek',
  'Erdoğdu',
];

export interface ForeignPlace {
  countryCode: string;
  city: string;
  postalCode: string;
  /** The state, where carriers need it (UPS in the US). */
  stateCode?: string;
  street: string;
  /** E.164 prefix of a mobile number there. */
  phonePrefix: string;
}

/** EU destinations (UPS carries them). */
export const FOREIGN_PLACES: ForeignPlace[] = [
  { countryCode: 'DE', city: 'Berlin', postalCode: '10115', street: 'Invalidenstraße', phonePrefix: '+49151' },
  { countryCode: 'DE', city: 'München', postalCode: '80331', street: 'Sendlinger Straße', phonePrefix: '+49160' },
  { countryCode: 'DE', city: 'Köln', postalCode: '50667', street: 'Hohe Straße', phonePrefix: '+49171' },
  { countryCode: 'DE', city: 'Hamburg', postalCode: '20095', street: 'Mönckebergstraße', phonePrefix: '+49152' },
  { countryCode: 'NL', city: 'Amsterdam', postalCode: '1012 JS', street: 'Damrak', phonePrefix: '+3161' },
  { countryCode: 'NL', city: 'Rotterdam', postalCode: '3011 AD', street: 'Coolsingel', phonePrefix: '+3162' },
  { countryCode: 'FR', city: 'Paris', postalCode: '75001', street: 'Rue de Rivoli', phonePrefix: '+33612' },
  { countryCode: 'AT', city: 'Wien', postalCode: '1010', street: 'Kärntner Straße', phonePrefix: '+43664' },
  { countryCode: 'BE', city: 'Bruxelles', postalCode: '1000', street: 'Rue Neuve', phonePrefix: '+32470' },
  { countryCode: 'IT', city: 'Milano', postalCode: '20121', street: 'Via Manzoni', phonePrefix: '+39333' },
  { countryCode: 'ES', city: 'Madrid', postalCode: '28013', street: 'Calle Gran Vía', phonePrefix: '+34612' },
];

/** Beyond the EU's customs border: UPS carries them with a commercial invoice from the catalogue's customs data. */
export const OVERSEAS_PLACES: ForeignPlace[] = [
  { countryCode: 'GB', city: 'London', postalCode: 'NW1 6XE', street: 'Baker Street', phonePrefix: '+447700' },
  { countryCode: 'US', city: 'New York', stateCode: 'NY', postalCode: '10001', street: '5th Avenue', phonePrefix: '+1212555' },
];

export const FOREIGN_NAMES = [
  'Jonas Müller',
  'Lea Schäfer',
  'Sophie de Vries',
  'Daan Jansen',
  'Camille Dubois',
  'Lukas Gruber',
  'Giulia Rossi',
  'Lucía García',
  'Mehmet Öztürk',
  'Elif Kaya',
  'Oliver Smith',
  'Emily Johnson',
  'Noah Peeters',
  'Jürgen Böhm',
];
