// Which carriers may take a parcel: each adapter's capabilities, narrowed by the merchant's
// rules for the channel and warehouse (table carrier_rules). Runs on the order worker, which
// knows every adapter; the quoting itself runs on each carrier's own task queue.
import type { Pool } from 'pg';
import type { ShipmentRequest } from '../../domain/shipment';
import { canCarry, type CarrierAdapter } from '../../carriers/adapter';

export interface EligibilityRequest {
  request: ShipmentRequest;
  channel?: string;
  /** An ops retry naming carriers: these, whatever the merchant's rules say. */
  only?: string[];
}

export interface Eligibility {
  carriers: string[];
  /** Carriers the rules prefer, best first. */
  preferred: string[];
  /** Why carriers were left out, for the shipment's record. */
  excluded: string[];
  /** Of `carriers`, those that price by their contract's tariff (CarrierCapabilities.pricesByContract): quoted without a call. */
  byContract?: string[];
}

interface Rule {
  carrier: string;
  action: 'prefer' | 'exclude' | 'pin';
}

export function createCarrierSelectionActivities(adapters: CarrierAdapter[], pool: Pool) {
  async function rulesFor(channel: string | undefined, warehouseId: string): Promise<Rule[]> {
    const { rows } = await pool.query<Rule>(
      `SELECT carrier, action FROM carrier_rules
        WHERE (channel IS NULL OR channel = $1) AND (warehouse_id IS NULL OR warehouse_id = $2)
        ORDER BY position, rule_id`,
      [channel ?? null, warehouseId],
    );
    return rows;
  }

  return {
    async eligibleCarriers({ request, channel, only }: EligibilityRequest): Promise<Eligibility> {
      const capable = adapters.filter((a) => canCarry(a, request)).map((a) => a.name);
      const excluded = adapters
        .filter((a) => !capable.includes(a.name))
        .map((a) => `${a.name}: cannot carry this parcel (service, destination, weight or COD)`);
      const byContract = (names: string[]) => names.filter((c) => adapters.find((a) => a.name === c)?.capabilities.pricesByContract);
      if (only) {
        const asked = capable.filter((c) => only.includes(c));
        return { carriers: asked, preferred: [], excluded, byContract: byContract(asked) };
      }
      const rules = await rulesFor(channel, request.warehouseId);
      const named = (action: Rule['action']) => rules.filter((r) => r.action === action).map((r) => r.carrier);
      const pinned = named('pin');
      const carriers = capable.filter((c) => !named('exclude').includes(c) && (pinned.length === 0 || pinned.includes(c)));
      for (const c of capable.filter((c) => !carriers.includes(c))) excluded.push(`${c}: excluded by the merchant's carrier rules`);
      return { carriers, preferred: named('prefer'), excluded, byContract: byContract(carriers) };
    },

    async carrierPushesTracking({ carrier }: { carrier: string }): Promise<boolean> {
      return adapters.find((a) => a.name === carrier)?.capabilities.pushTracking ?? false;
    },
  };
}
