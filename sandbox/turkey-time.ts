// Turkey keeps UTC+3 all year, and the Turkish carriers (Yurtiçi, Aras, MNG) write its local time
// without an offset: the doubles render their times from here, each in its carrier's own format.

/** `at` in Turkey's local time: the date as `yyyy-MM-dd`, the time as `HH:mm:ss`. */
export function turkeyLocal(at: Date): { date: string; time: string } {
  const local = new Date(at.getTime() + 3 * 3600_000).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 19) };
}

/** `dd.MM.yyyy HH:mm:ss` in Turkey's local time (Aras's ISLEM_TARIHI, MNG's dates). */
export function turkeyDottedDateTime(at: Date): string {
  const { date, time } = turkeyLocal(at);
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)} ${time}`;
}
