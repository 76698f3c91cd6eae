// Dates are shown in Taiwan time whatever the server's zone, as 2026-12-02 14:35:10 in both
// languages: day/month order differs between readers (02/12 is 2 December or February 12), the
// ISO order does not (issue 9 item 19).
import type { Lang } from './messages.ts';

const TAIPEI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

export function formatTime(d: Date, _lang: Lang): string {
  const p = Object.fromEntries(TAIPEI.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
