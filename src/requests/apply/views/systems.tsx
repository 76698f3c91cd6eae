// Step 5 (seed 000 step 6 「系統帳號權限申請」): the roles wanted, per application system, each
// system with how many administrators could approve it today ("目前可審核的管理者有 N 位", ADM-6).
import { Layout, CsrfField, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import { ApplySteps, CancelForm } from './shared.tsx';

export interface OfferedSystem {
  /** The agency's own approvers, or (centralOnly) the central authority's when it has none. */
  code: string; nameZh: string; nameEn: string; approvers: number; centralOnly: boolean;
  roles: { code: string; nameZh: string; nameEn: string }[];
}

export interface SystemsView { systems: OfferedSystem[]; chosen: string[]; error?: string }

export function SystemsPage({ ctx, v }: { ctx: PageContext; v: SystemsView }) {
  const { t, lang } = ctx;
  const name = (x: { nameZh: string; nameEn: string }) => (lang === 'en' ? x.nameEn : x.nameZh);
  return (
    <Layout ctx={ctx} title={t('apply.systems.title')}>
      <ApplySteps ctx={ctx} current={5} />
      {v.error && <Notice kind="error">{v.error}</Notice>}
      <p>{t('apply.systems.intro')}</p>
      {v.systems.length === 0 && <p role="status">{t('apply.systems.none')}</p>}
      <p id="approver-note">{t('apply.systems.approverNote')}</p>
      <form method="post" action="/apply/systems" class="stack">
        <CsrfField ctx={ctx} />
        {v.systems.filter((s) => s.roles.length > 0).map((s) => (
          <fieldset data-system={s.code} aria-describedby={`approvers-${s.code}`}>
            <legend>{name(s)}</legend>
            <p id={`approvers-${s.code}`} class="hint" data-testid="approvers">
              {s.centralOnly ? t('apply.systems.approversCentralOnly', { n: s.approvers }) : t('apply.systems.approvers', { n: s.approvers })}
              {s.approvers === 0 || s.centralOnly ? ' ' + t('apply.systems.noApprover') : ''}
            </p>
            {s.roles.map((r) => (
              <div>
                <label><input type="checkbox" name="roles" value={r.code} checked={v.chosen.includes(r.code)} /> {name(r)}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <p class="hint">{t('apply.systems.submitNote')}</p>
        <button type="submit">{t('apply.systems.submit')}</button>
      </form>
      <p><a href="/apply/account">{t('apply.previous')}</a></p>
      <CancelForm ctx={ctx} />
    </Layout>
  );
}
