// The carrier's place codes (its "CBS" service): Turkey's 81 provinces by their plate numbers,
// and the districts of İstanbul, Ankara and İzmir. Other provinces have no district list in the
// sandbox, so there it accepts any district name. District codes are the sandbox's choice
// (province × 1000 + position in the list).
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';

const DISTRICTS: Record<number, string[]> = {
  34: [
    'Adalar',
    'Arnavutköy',
    'Ataşehir',
    'Avcılar',
    'Bağcılar',
    'Bahçelievler',
    'Bakırköy',
    'Başakşehir',
    'Bayrampaşa',
    'Beşiktaş',
    'Beykoz',
    'Beylikdüzü',
    'Beyoğlu',
    'Büyükçekmece',
    'Çatalca',
    'Çekmeköy',
    'Esenler',
    'Esenyurt',
    'Eyüpsultan',
    'Fatih',
    'Gaziosmanpaşa',
    'Güngören',
    'Kadıköy',
    'Kağıthane',
    'Kartal',
    'Küçükçekmece',
    'Maltepe',
    'Pendik',
    'Sancaktepe',
    'Sarıyer',
    'Silivri',
    'Sultanbeyli',
    'Sultangazi',
    'Şile',
    'Şişli',
    'Tuzla',
    'Ümraniye',
    'Üsküdar',
    'Zeytinburnu',
  ],
  6: [
    'Akyurt',
    'Altındağ',
    'Ayaş',
    'Bala',
    'Beypazarı',
    'Çamlıdere',
    'Çankaya',
    'Çubuk',
    'Elmadağ',
    'Etimesgut',
    'Evren',
    'Gölbaşı',
    'Güdül',
    'Haymana',
    'Kahramankazan',
    'Kalecik',
    'Keçiören',
    'Kızılcahamam',
    'Mamak',
    'Nallıhan',
    'Polatlı',
    'Pursaklar',
    'Sincan',
    'Şereflikoçhisar',
    'Yenimahalle',
  ],
  35: [
    'Aliağa',
    'Balçova',
    'Bayındır',
    'Bayraklı',
    'Bergama',
    'Beydağ',
    'Bornova',
    'Buca',
    'Çeşme',
    'Çiğli',
    'Dikili',
    'Foça',
    'Gaziemir',
    'Güzelbahçe',
    'Karabağlar',
    'Karaburun',
    'Karşıyaka',
    'Kemalpaşa',
    'Kınık',
    'Kiraz',
    'Konak',
    'Menderes',
    'Menemen',
    'Narlıdere',
    'Ödemiş',
    'Seferihisar',
    'Selçuk',
    'Tire',
    'Torbalı',
    'Urla',
  ],
};

export interface Place {
  code: number;
  name: string;
}

export const CITIES: Place[] = TURKISH_PROVINCES.map((name, i) => ({ code: i + 1, name }));

export function districtsOf(cityCode: number): Place[] {
  return (DISTRICTS[cityCode] ?? []).map((name, i) => ({ code: cityCode * 1000 + i + 1, name }));
}

/** Names compared as people type them: case, Turkish letters and spacing do not matter ("ISTANBUL" is İstanbul). */
export function foldName(name: string): string {
  return name
    .toLocaleLowerCase('tr-TR')
    .normalize('NFD') // ş → s + cedilla, ü → u + diaeresis, …: the marks are dropped next
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i') // the one Turkish letter with no decomposition
    .replace(/[^a-z0-9]/g, '');
}

/** The recipient's place as the carrier resolves it: by code when given (not 0), otherwise by name. */
export function resolvePlace(input: {
  cityCode: number;
  cityName?: string;
  districtCode: number;
  districtName?: string;
}): { city: Place; district?: Place } | undefined {
  const city = input.cityCode
    ? CITIES.find((c) => c.code === input.cityCode)
    : CITIES.find((c) => foldName(c.name) === foldName(input.cityName ?? ''));
  if (!city) return undefined;
  const known = districtsOf(city.code);
  if (!input.districtCode && !input.districtName) return { city };
  const district = input.districtCode
    ? known.find((d) => d.code === input.districtCode)
    : known.find((d) => foldName(d.name) === foldName(input.districtName ?? ''));
  if (district) return { city, district };
  // No district list for this province in the sandbox: the name is taken as given.
  return known.length === 0 && !input.districtCode ? { city, district: { code: 0, name: input.districtName ?? '' } } : undefined;
}
