// Every carrier double the sandbox serves, in one list: app.ts mounts each under /<name> and
// /_admin/<name>, and a carrier registry can take the list over. A new carrier double is a folder
// of the same shape (sandbox/<carrier>/index.ts exporting a CarrierDouble) and one line here.
import { arasDouble } from './aras';
import { mngDouble } from './mng';
import { suratDouble } from './surat';
import { pttDouble } from './ptt';
import { upsDouble } from './ups';
import { yurticiDouble } from './yurtici';

export const CARRIER_DOUBLES = [upsDouble, yurticiDouble, arasDouble, mngDouble, suratDouble, pttDouble] as const;

type Doubles = (typeof CARRIER_DOUBLES)[number];

/** Each carrier's state by its name: `ups: UpsState`, `yurtici: YurticiState`, … */
export type CarrierStates = { [D in Doubles as D['name']]: ReturnType<D['mount']> };

/** Each carrier's own options by its name (all but the logger, which the sandbox gives every double). */
export type CarrierOptions = { [D in Doubles as D['name']]?: Omit<Parameters<D['mount']>[1], 'logger'> };
