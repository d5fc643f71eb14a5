// The carrier's place codes (its "CBS" service): Turkey's 81 provinces by their plate numbers,
// and the districts of İstanbul, Ankara and İzmir. Other provinces have no district list in the
// sandbox, so there it accepts any district name. District codes are the sandbox's choice
// (province × 1000 + position in the list).
import { foldName, TURKISH_DISTRICTS as DISTRICTS } from '../../domain/turkish-districts';
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';

export interface Place {
  code: number;
  name: string;
}

export const CITIES: Place[] = TURKISH_PROVINCES.map((name, i) => ({ code: i + 1, name }));

export function districtsOf(cityCode: number): Place[] {
  return (DISTRICTS[cityCode] ?? []).map((name, i) => ({ code: cityCode * 1000 + i + 1, name }));
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
