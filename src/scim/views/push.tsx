// SSO-6: the SCIM push section of a system's SCIM page: each endpoint with its subtree, last
// successful sync, last failure and its reason, failures in a row, changes waiting and given up;
// the form to set one (URL and the receiver's token, kept encrypted) and a button to remove one.
import { CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { formatTime } from '../../platform/web/format.ts';
import { Field, FieldShell, describedBy } from '../../admin/views/fields.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { PushTargetView } from '../push-targets.ts';

export interface PushSectionView {
  systemCode: string;
  targets: PushTargetView[];
  typed?: { jurisdictionOid: string; url: string };
  error?: { field: 'jurisdictionOid' | 'url' | 'secret'; key: MessageKey };
  saved?: number;
  removed?: boolean;
}

export function PushSection({ ctx, v }: { ctx: PageContext; v: PushSectionView }) {
  const { t } = ctx;
  const base = `/admin/systems/${encodeURIComponent(v.systemCode)}/scim-push`;
  const time = (d: Date | null) => (d ? formatTime(d, ctx.lang) : t('scim.page.never'));
  const err = (f: string) => (v.error?.field === f ? t(v.error.key) : undefined);
  return (
    <section aria-labelledby="scim-push">
      <h2 id="scim-push">{t('scim.push.title')}</h2>
      {v.saved !== undefined && <Notice kind="info">{t('scim.push.saved', { n: String(v.saved) })}</Notice>}
      {v.removed && <Notice kind="info">{t('scim.push.removed')}</Notice>}
      <p>{t('scim.push.intro')}</p>
      <table>
        <caption>{t('scim.push.list')}</caption>
        <thead><tr>
          <th scope="col">{t('scim.push.url')}</th><th scope="col">{t('scim.page.jurisdiction')}</th><th scope="col">{t('scim.push.lastSuccess')}</th>
          <th scope="col">{t('scim.push.lastFailure')}</th><th scope="col">{t('scim.push.failures')}</th><th scope="col">{t('scim.push.pending')}</th>
          <th scope="col">{t('scim.push.givenUp')}</th><th scope="col">{t('scim.page.status')}</th>
        </tr></thead>
        <tbody>
          {v.targets.length === 0 && <tr><td colSpan={8}>{t('scim.push.none')}</td></tr>}
          {v.targets.map((p) => (
            <tr data-push={String(p.id)}>
              <th scope="row"><code>{p.url}</code></th>
              <td><span class="oid">{p.jurisdictionOid}</span></td>
              <td>{time(p.lastSuccessAt)}</td>
              <td>{p.lastFailureAt ? `${time(p.lastFailureAt)}（${p.lastError ?? ''}）` : t('scim.page.never')}</td>
              <td>{String(p.failures)}</td>
              <td>{String(p.pending)}</td>
              <td>{String(p.givenUp)}</td>
              <td>
                <form method="post" action={`${base}/${p.id}/remove`}>
                  <CsrfField ctx={ctx} />
                  <button type="submit" aria-label={`${t('scim.push.remove')}：${p.url}`}>{t('scim.push.remove')}</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('scim.push.set')}</h3>
      <form method="post" action={base}>
        <CsrfField ctx={ctx} />
        <Field ctx={ctx} name="pushOid" label={t('scim.page.jurisdiction')} value={v.typed?.jurisdictionOid} required inputMode="decimal"
          hint={t('scim.page.jurisdictionHint')} error={err('jurisdictionOid')} />
        <Field ctx={ctx} name="pushUrl" label={t('scim.push.url')} value={v.typed?.url} required maxLength={2000} error={err('url')} />
        <FieldShell ctx={ctx} name="pushSecret" label={t('scim.push.secret')} hint={t('scim.push.secretHint')} error={err('secret')} required>
          <input id="pushSecret" name="pushSecret" type="password" maxLength={4000} autocomplete="off" aria-required="true"
            aria-invalid={err('secret') ? 'true' : undefined} aria-describedby={describedBy('pushSecret', t('scim.push.secretHint'), err('secret'))} />
        </FieldShell>
        <button type="submit">{t('scim.push.setButton')}</button>
      </form>
    </section>
  );
}
