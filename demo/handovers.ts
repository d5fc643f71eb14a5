// The end of the floor's day (issue 21): the demo closes today's handover list of every carrier at
// every demo warehouse, as the floor does when the drivers come (the schedule would close each at
// the warehouse's cut-off), so the summary can show each list and where its PDF is.
import { CARRIERS } from './faults';
import type { HttpClient } from './http';
import { DEMO_WAREHOUSES } from './orders';

export interface ClosedList {
  handoverId: string;
  parcels: number;
  pdfUrl: string;
}

interface HandoverReply {
  handoverId: string;
  totals: { parcels: number };
  pdfUrl: string;
}

/** Today's lists that hold parcels (a list closed before, by an earlier run or the schedule, is answered as it was). */
export async function closeTheDay(api: HttpClient): Promise<ClosedList[]> {
  const lists: ClosedList[] = [];
  for (const warehouseId of DEMO_WAREHOUSES) {
    for (const carrier of CARRIERS) {
      const { status, body } = await api.request<HandoverReply>('POST', '/v1/handovers/close', { carrier, warehouseId });
      if (status !== 200 && status !== 201) throw new Error(`closing ${carrier} at ${warehouseId}: HTTP ${status} ${JSON.stringify(body)}`);
      if (body.totals.parcels > 0) lists.push({ handoverId: body.handoverId, parcels: body.totals.parcels, pdfUrl: body.pdfUrl });
    }
  }
  return lists;
}
