// The tracking page's words in each language it speaks. The status codes are the public
// vocabulary (status.ts); every language must name every one of them (the type says so).
import { LOCALES, type Locale } from '../../domain/order';
import type { HoldReason } from '../../domain/statuses';
import type { PublicStatus } from './status';

export const LANGUAGES = LOCALES;
export type Language = Locale;

interface Messages {
  locale: string;
  pageTitle: string;
  trackingNumber: string;
  carrier: string;
  destination: string;
  estimatedDelivery: string;
  deliveredAt: string;
  history: string;
  noEvents: string;
  notFoundTitle: string;
  notFoundText: string;
  invalidTitle: string;
  invalidText: string;
  statuses: Record<PublicStatus, string>;
  /** An on_hold status whose reason the carrier gave is named by it instead. */
  holdReasons: Record<HoldReason, string>;
}

const en: Messages = {
  locale: 'en-GB',
  pageTitle: 'Track your parcel',
  trackingNumber: 'Tracking number',
  carrier: 'Carrier',
  destination: 'Destination',
  estimatedDelivery: 'Estimated delivery',
  deliveredAt: 'Delivered on',
  history: 'Parcel history',
  noEvents: 'The carrier has not scanned the parcel yet.',
  notFoundTitle: 'Parcel not found',
  notFoundText:
    'We know of no parcel with this tracking number. Check the number, or try again later: a new label can take a while to appear.',
  invalidTitle: 'Not a tracking number',
  invalidText: 'A tracking number is 6 to 40 letters, digits or dashes.',
  statuses: {
    label_created: 'Label created, waiting for the carrier',
    picked_up: 'Picked up by the carrier',
    in_transit: 'In transit',
    out_for_delivery: 'Out for delivery',
    ready_for_pickup: 'Ready for pickup',
    delivery_failed: 'Delivery attempt failed',
    delivered: 'Delivered',
    return_to_sender: 'Returning to the sender',
    returned: 'Returned to the sender',
    cancelled: 'Cancelled',
    on_hold: 'On hold',
    lost: 'Lost by the carrier',
    unknown: 'Update from the carrier',
  },
  holdReasons: { customs: 'In customs' },
};

const tr: Messages = {
  locale: 'tr-TR',
  pageTitle: 'Kargo takibi',
  trackingNumber: 'Takip numarası',
  carrier: 'Kargo firması',
  destination: 'Varış yeri',
  estimatedDelivery: 'Tahmini teslimat',
  deliveredAt: 'Teslim tarihi',
  history: 'Gönderi hareketleri',
  noEvents: 'Gönderi henüz kargo firmasında okutulmadı.',
  notFoundTitle: 'Gönderi bulunamadı',
  notFoundText:
    'Bu takip numarasıyla bir gönderi bulamadık. Numarayı kontrol edin ya da daha sonra tekrar deneyin: yeni oluşturulan etiketlerin görünmesi biraz sürebilir.',
  invalidTitle: 'Geçersiz takip numarası',
  invalidText: 'Takip numarası 6 ile 40 arası harf, rakam ya da tireden oluşur.',
  statuses: {
    label_created: 'Kargo etiketi oluşturuldu, kargo firmasına teslim bekleniyor',
    picked_up: 'Kargo firmasına teslim edildi',
    in_transit: 'Transfer sürecinde',
    out_for_delivery: 'Dağıtıma çıktı',
    ready_for_pickup: 'Teslim noktasında, alınmayı bekliyor',
    delivery_failed: 'Teslimat denemesi başarısız',
    delivered: 'Teslim edildi',
    return_to_sender: 'Göndericiye iade ediliyor',
    returned: 'Göndericiye iade edildi',
    cancelled: 'İptal edildi',
    on_hold: 'Beklemede',
    lost: 'Kargo firması kaybetti',
    unknown: 'Kargo firmasından güncelleme',
  },
  holdReasons: { customs: 'Gümrükte' },
};

export const MESSAGES: Record<Language, Messages> = { en, tr };
