// RFC 3339 timestamps (--start-at): "2026-12-01T10:00:00Z", "2026-12-01T11:00:00.250+01:00".
// Parsed by hand, not Date.parse: engines differ on what else they accept, and fractions finer than a ms.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ns of an RFC 3339 date-time with a zone (Z or ±hh:mm), or null when it is not one. */
export function parseRfc3339Ns(text: string): number | null {
  const m = RFC3339.exec(text.trim());
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 February over into March: a day past the month's end is no date.
  if (new Date(ms).getUTCDate() !== day) return null;
  let offsetMin = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const fractionNs = m[7] === undefined ? 0 : Math.round(Number(`0${m[7]}`) * 1e9);
  return (ms - offsetMin * 60_000) * 1e6 + fractionNs;
}

/** An epoch-ns instant as RFC 3339 in UTC with ms ("2026-12-01T10:00:00.000Z"). */
export function formatRfc3339(ns: number): string {
  return new Date(Math.floor(ns / 1e6)).toISOString();
}
