// Every marketplace double the sandbox serves, in one list (as sandbox/carriers.ts lists the
// carriers'): app.ts mounts each under /<name> and /_admin/<name>. A new one is a folder of the same
// shape (sandbox/marketplaces/<name>/index.ts) and one line here.
import { amazonDouble } from './amazon';
import { hepsiburadaDouble } from './hepsiburada';
import { trendyolDouble } from './trendyol';

export const MARKETPLACE_DOUBLES = [amazonDouble, hepsiburadaDouble, trendyolDouble] as const;

type Doubles = (typeof MARKETPLACE_DOUBLES)[number];

/** Each marketplace double's state by its name: `amazon: AmazonState`. */
export type MarketplaceStates = { [D in Doubles as D['name']]: ReturnType<D['mount']> };

/** Each marketplace double's own options by its name (all but the logger). */
export type MarketplaceOptions = { [D in Doubles as D['name']]?: Omit<Parameters<D['mount']>[1], 'logger'> };
