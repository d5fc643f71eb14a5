// The province (il) and district (ilçe) codes PTT routes by, from an address's city and district. The
// province code is its plate number; district codes are PTT's own (its PttBilgi service, behind the
// customer's credentials): where public material is silent they are ours, the province's plate × 1000 +
// the district's place in the alphabetical list (README.md, assumption 4). A province whose districts we
// do not list is sent by name alone.
import type { Address } from '../../domain/order';
import { foldName, TURKISH_DISTRICTS } from '../../domain/turkish-districts';
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';

export interface PttPlace {
  ilKodu: number;
  ilAdi: string;
  ilceKodu?: number;
  ilceAdi: string;
}

/** Why an address cannot be coded: the field to correct and what is wrong with it. */
export interface PlaceProblem {
  field: 'to.city' | 'to.district';
  message: string;
}

const find = (names: readonly string[], name: string) => names.findIndex((n) => foldName(n) === foldName(name));

/** The address's il and ilçe in PTT's terms, or the field that cannot be coded. */
export function pttPlace(address: Pick<Address, 'city' | 'district'>): PttPlace | PlaceProblem {
  const province = find(TURKISH_PROVINCES, address.city);
  if (province < 0) return { field: 'to.city', message: `"${address.city}" is not a Turkish province (il)` };
  const ilKodu = province + 1;
  const ilAdi = TURKISH_PROVINCES[province];
  if (!address.district) return { field: 'to.district', message: `PTT routes by district (ilçe): none given in ${ilAdi}` };
  const districts = TURKISH_DISTRICTS[ilKodu];
  if (!districts) return { ilKodu, ilAdi, ilceAdi: address.district };
  const district = find(districts, address.district);
  if (district < 0) return { field: 'to.district', message: `"${address.district}" is not a district (ilçe) of ${ilAdi}` };
  return { ilKodu, ilAdi, ilceKodu: ilKodu * 1000 + district + 1, ilceAdi: districts[district] };
}
