// Dates are shown in Taiwan time whatever the server's zone.
import type { Lang } from './messages.ts';

export function formatTime(d: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-TW', {
    timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(d).replace(/\s/g, ' '); // ICU puts a thin space between date and time
}
