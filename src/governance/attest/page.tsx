// 帳號清查：本人確認 (GOV-3, seed 002 D-06-20): the holder's open attestations — each review, their
// account, unit, roles and administration grants as the review lists them — and a form each:
// confirm, or report what is wrong with a note. No JavaScript needed; names, not codes.
import { CsrfField, Layout, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import type { attestationsOf } from './service.ts';

type Open = Awaited<ReturnType<typeof attestationsOf>>;
export interface AttestView { items: Open; roleName: (code: string) => string; error?: { runId: number; key: MessageKey }; done?: boolean }

export function AttestPage({ ctx, v }: { ctx: PageContext; v: AttestView }) {
  const { t } = ctx;
  const grant = (g: string) => {
    const [kind, oid] = g.split(':');
    return `${t(`admin.kind.${kind}` as MessageKey)}（${oid}）`;
  };
  return (
    <Layout ctx={ctx} title={t('attest.title')}>
      {v.done && <Notice kind="info">{t('attest.done')}</Notice>}
      {v.items.length === 0 ? <p>{t('attest.none')}</p> : <p>{t('attest.intro')}</p>}
      {v.items.map((i) => (
        <section aria-labelledby={`run-${i.run_id}`} data-attest={i.run_id}>
          <h2 id={`run-${i.run_id}`}>{t('attest.review', { name: i.run_name })}</h2>
          {v.error?.runId === i.run_id && <Notice kind="error">{t(v.error.key)}</Notice>}
          <dl>
            <dt>{t('attest.deadline')}</dt><dd>{formatTime(i.deadline_at, ctx.lang)}</dd>
            <dt>{t('attest.username')}</dt><dd>{i.username}（{i.name}）</dd>
            <dt>{t('attest.unit')}</dt><dd>{i.unit_name ?? ''} <span class="oid">{i.unit_oid}</span></dd>
            <dt>{t('attest.roles')}</dt><dd>{i.roles.length ? i.roles.map(v.roleName).join('、') : t('attest.noRoles')}</dd>
            {i.grants.length > 0 && <><dt>{t('attest.grants')}</dt><dd>{i.grants.map(grant).join('、')}</dd></>}
          </dl>
          {i.attestation && i.attested_at && (
            <p data-answered>{t('attest.answered', { at: formatTime(i.attested_at, ctx.lang), answer: t(`attest.state.${i.attestation}`) })}{i.attestation_note ? `：${i.attestation_note}` : ''}</p>
          )}
          <form method="post" action={`/account/attestations/${i.run_id}`} class="stack">
            <CsrfField ctx={ctx} />
            <fieldset><legend>{t('attest.answer')}</legend>
              <div><input type="radio" id={`confirmed-${i.run_id}`} name="answer" value="confirmed" checked={i.attestation === 'confirmed'} />
                <label for={`confirmed-${i.run_id}`}>{t('attest.confirmed')}</label></div>
              <div><input type="radio" id={`reported-${i.run_id}`} name="answer" value="reported" checked={i.attestation === 'reported'} />
                <label for={`reported-${i.run_id}`}>{t('attest.reported')}</label></div>
            </fieldset>
            <div><label for={`note-${i.run_id}`}>{t('attest.note')}</label>
              <textarea id={`note-${i.run_id}`} name="note" maxLength={1000} rows={3}>{i.attestation_note ?? ''}</textarea></div>
            <div><button type="submit" aria-label={`${t('attest.submit')}：${i.run_name}`}>{t('attest.submit')}</button></div>
          </form>
        </section>
      ))}
    </Layout>
  );
}
