// The rating page a delivered notice links to: 1-5 stars, reasons to tick, a comment, in the
// customer's language. Like the tracking page, no script and nothing personal; every value goes
// through the `html` tag, so a comment shown back is escaped.
import { html, page } from './html';
import type { Language } from './locales';

import type { RatingReason } from '../../domain/ratings';

export interface Rating {
  stars: number;
  reasons: RatingReason[];
  comment: string | null;
}

interface Words {
  title: string;
  question: string;
  stars: string;
  reasonsLegend: string;
  reasons: Record<RatingReason, string>;
  comment: string;
  submit: string;
  thanksTitle: string;
  thanksText: string;
  changeUntil: string;
  errors: Record<'invalid_token' | 'token_expired' | 'rating_closed' | 'not_delivered' | 'invalid_rating', string>;
}

const WORDS: Record<Language, Words> = {
  en: {
    title: 'Rate your delivery',
    question: 'How was the delivery of parcel',
    stars: 'stars',
    reasonsLegend: 'Anything that went wrong? (optional)',
    reasons: {
      late: 'It came late',
      damaged: 'The parcel was damaged',
      courier_behaviour: "The courier's behaviour",
      left_without_notice: 'Left without notice',
      wrong_address: 'Delivered to the wrong address',
    },
    comment: 'Comment (optional, up to 500 characters)',
    submit: 'Send',
    thanksTitle: 'Thank you',
    thanksText: 'Your rating helps the shop choose the best carrier.',
    changeUntil: 'You can change it with the same link until',
    errors: {
      invalid_token: 'This link is not valid. Open the link from your delivery message again.',
      token_expired: 'This link has expired.',
      rating_closed: 'This delivery was rated more than a week ago; the rating can no longer be changed.',
      not_delivered: 'This parcel has not been delivered yet.',
      invalid_rating: 'Choose 1 to 5 stars; the comment must be plain text of at most 500 characters.',
    },
  },
  tr: {
    title: 'Teslimatı puanlayın',
    question: 'Gönderinin teslimatı nasıldı:',
    stars: 'yıldız',
    reasonsLegend: 'Bir sorun oldu mu? (isteğe bağlı)',
    reasons: {
      late: 'Geç geldi',
      damaged: 'Paket hasarlıydı',
      courier_behaviour: 'Kuryenin davranışı',
      left_without_notice: 'Haber verilmeden bırakıldı',
      wrong_address: 'Yanlış adrese teslim edildi',
    },
    comment: 'Yorum (isteğe bağlı, en fazla 500 karakter)',
    submit: 'Gönder',
    thanksTitle: 'Teşekkürler',
    thanksText: 'Puanınız mağazanın en iyi kargo firmasını seçmesine yardımcı olur.',
    changeUntil: 'Aynı bağlantıyla şu tarihe kadar değiştirebilirsiniz:',
    errors: {
      invalid_token: 'Bu bağlantı geçerli değil. Teslimat mesajınızdaki bağlantıyı yeniden açın.',
      token_expired: 'Bu bağlantının süresi doldu.',
      rating_closed: 'Bu teslimat bir haftadan uzun süre önce puanlandı; puan artık değiştirilemez.',
      not_delivered: 'Bu gönderi henüz teslim edilmedi.',
      invalid_rating: '1 ile 5 arasında yıldız seçin; yorum en fazla 500 karakterlik düz metin olmalı.',
    },
  },
};

export const ratingError = (lang: Language, code: keyof Words['errors']) => ({ title: WORDS[lang].title, text: WORDS[lang].errors[code] });

/** The form, with the current rating filled in when the customer is changing it. */
export function ratingForm(lang: Language, trackingNumber: string, token: string, current?: Rating): string {
  const t = WORDS[lang];
  const stars = [5, 4, 3, 2, 1].map(
    (n) =>
      html`<label><input type="radio" name="stars" value="${n}" required${current?.stars === n ? html` checked` : ''}> ${'★'.repeat(n)} ${n} ${t.stars}</label>`,
  );
  const reasons = Object.entries(t.reasons).map(
    ([code, label]) =>
      html`<label><input type="checkbox" name="reasons" value="${code}"${current?.reasons.includes(code as RatingReason) ? html` checked` : ''}> ${label}</label>`,
  );
  return page(
    lang,
    t.title,
    html`<h1>${t.title}</h1>
<form method="post" action="rating">
<input type="hidden" name="token" value="${token}">
<p>${t.question} <strong>${trackingNumber}</strong>?</p>
<fieldset class="stars">${stars}</fieldset>
<fieldset><legend>${t.reasonsLegend}</legend>${reasons}</fieldset>
<label>${t.comment}<br><textarea name="comment" maxlength="500">${current?.comment ?? ''}</textarea></label>
<p><button type="submit">${t.submit}</button></p>
</form>`,
  );
}

export function thanksPage(lang: Language, rating: Rating, changeableUntil: Date): string {
  const t = WORDS[lang];
  const until = new Intl.DateTimeFormat(lang === 'tr' ? 'tr-TR' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Istanbul' }).format(
    changeableUntil,
  );
  return page(
    lang,
    t.thanksTitle,
    html`<h1>${t.thanksTitle}</h1>
<p class="status">${'★'.repeat(rating.stars)}${'☆'.repeat(5 - rating.stars)}</p>
${rating.reasons.length ? html`<ul>${rating.reasons.map((r) => html`<li>${t.reasons[r]}</li>`)}</ul>` : ''}
${rating.comment ? html`<blockquote>${rating.comment}</blockquote>` : ''}
<p>${t.thanksText}</p>
<p class="muted">${t.changeUntil} ${until}.</p>`,
  );
}
