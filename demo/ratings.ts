// Some customers rate their delivery (issue 26), as they would: the demo opens the rating link in
// the delivered emails the sandbox's mail catcher received and sends stars, now and then a reason
// and a comment, so the dashboard's rating panel has data. About half answer; most are content.
import type { HttpClient } from './http';
import type { Random } from './random';

const ANSWERING = 0.45;
const STARS = { '5': 52, '4': 24, '3': 10, '2': 8, '1': 6 };
const REASONS = ['late', 'damaged', 'courier_behaviour', 'left_without_notice', 'wrong_address'];
const COMMENTS = ['Fast, thank you.', 'Kurye çok nazikti.', 'The box was crushed.', 'Komşuya bırakılmış, haber verilmedi.'];
const LINK = /\/track\/[^/\s]+\/rating\?token=[^\s"<]+/;

interface CaughtMail {
  subject?: string;
  text?: string;
}

export interface RatingsLeft {
  rated: number;
  low: number;
}

/** Rates a share of this run's delivered parcels through their links; what was left, for the summary. */
export async function rateDeliveries(api: HttpClient, sandbox: HttpClient, runTag: string, random: Random): Promise<RatingsLeft> {
  const { body } = await sandbox.request<{ messages?: CaughtMail[] }>('GET', '/_admin/mail/messages');
  const links = (body.messages ?? [])
    .filter((m) => m.subject?.includes(`DEMO-${runTag}-`))
    .map((m) => LINK.exec(m.text ?? '')?.[0])
    .filter((link): link is string => link !== undefined);
  const left: RatingsLeft = { rated: 0, low: 0 };
  for (const link of new Set(links)) {
    if (!random.chance(ANSWERING)) continue;
    const [path, query] = link.split('?');
    const stars = Number(random.weighted(STARS));
    const reasons = stars <= 3 ? [random.pick(REASONS)] : [];
    const comment = random.chance(0.3) ? random.pick(COMMENTS) : undefined;
    const token = new URLSearchParams(query).get('token') ?? '';
    const reply = await api.request('POST', path, { token, stars, reasons, comment });
    if (reply.status !== 200) continue;
    left.rated++;
    if (stars <= 2) left.low++;
  }
  return left;
}
