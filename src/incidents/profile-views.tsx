// INC-9: the profile part of the incident page — the optional deadline profiles the agency may
// choose (tw-cs always runs), and a button per step those profiles count. No JavaScript needed.
import { CsrfField, type PageContext } from '../platform/web/layout.tsx';
import type { MessageKey } from '../platform/web/messages.ts';
import { BUILT_IN_PROFILES } from './clocks/index.ts';
import type { profileChoice } from './profiles.ts';

export type ProfileChoice = NonNullable<Awaited<ReturnType<typeof profileChoice>>>;

export function ProfileSection({ ctx, id, c, overdue }: { ctx: PageContext; id: number; c: ProfileChoice; overdue: boolean }) {
  const { t } = ctx;
  const lang = ctx.lang === 'en' ? 'en' : 'zh-TW';
  if (c.allowed.length === 0 && c.steps.length === 0) return null;
  return (
    <section aria-labelledby="profiles-h">
      <h2 id="profiles-h">{t('incidents.profiles.title')}</h2>
      <p>{c.chosen.map((p) => BUILT_IN_PROFILES[p]?.name[lang] ?? p).join('、')}</p>
      {c.allowed.length > 0 && (
        <form method="post" action={`/incidents/${id}/profiles`} class="stack">
          <CsrfField ctx={ctx} />
          <fieldset>
            <legend>{t('incidents.profiles.allowed')}</legend>
            {c.allowed.map((p) => (
              <div><input type="checkbox" id={`profile-${p}`} name="profiles" value={p} checked={c.chosen.includes(p)} /> <label for={`profile-${p}`}>{BUILT_IN_PROFILES[p]?.name[lang] ?? p}</label></div>
            ))}
          </fieldset>
          <div><button type="submit">{t('incidents.profiles.save')}</button></div>
        </form>
      )}
      {c.steps.map((k) => (
        <form method="post" action={`/incidents/${id}/profile-step`} class="stack">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="kind" value={k} />
          {overdue && <div><label for={`late-${k}`}>{t('incidents.form.lateReason')}</label><input id={`late-${k}`} name="lateReason" type="text" maxLength={2000} /></div>}
          <div><button type="submit">{t('incidents.profiles.record')}：{t(`clocks.kind.${k}` as MessageKey)}</button></div>
        </form>
      ))}
    </section>
  );
}
