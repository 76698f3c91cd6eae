// Which subtrees may apply for a system's roles (REQ-1, SSO-1, issue 9 item 14): the list for
// every administrator, and for the central authority a form of subtree OIDs, one per line.
import { Layout, CsrfField, Notice, type PageContext } from '../../../platform/web/layout.tsx';

export interface ApplyScopeView {
  system: { code: string; nameZh: string; nameEn: string };
  subtrees: { oid: string; name: string | null }[];
  canEdit: boolean; saved?: boolean;
  /** After a refused change: what was typed and the OIDs that are not valid. */
  typed?: string; invalid?: string[];
}

export function ApplyScopePage({ ctx, v }: { ctx: PageContext; v: ApplyScopeView }) {
  const { t } = ctx;
  const name = ctx.lang === 'en' ? v.system.nameEn : v.system.nameZh;
  const action = `/admin/systems/${encodeURIComponent(v.system.code)}/apply-scope`;
  return (
    <Layout ctx={ctx} title={t('admin.applyScope.title', { system: name })}>
      {v.saved && <Notice kind="info">{t('admin.applyScope.saved')}</Notice>}
      {v.invalid && <Notice kind="error">{t('admin.applyScope.invalid', { oids: v.invalid.join('、') || '—' })}</Notice>}
      <p>{t('admin.applyScope.intro')}</p>
      {v.subtrees.length === 0 ? <p>{t('admin.applyScope.none')}</p> : (
        <ul data-testid="apply-scope">
          {v.subtrees.map((s) => <li><span class="oid">{s.oid}</span> {s.name ?? t('admin.applyScope.unregistered')}</li>)}
        </ul>
      )}
      {v.canEdit && (
        <form method="post" action={action} class="stack">
          <CsrfField ctx={ctx} />
          <div>
            <label for="subtrees">{t('admin.applyScope.field')}</label>
            <textarea id="subtrees" name="subtrees" rows={6} cols={40} aria-describedby="subtrees-hint"
              aria-invalid={v.invalid ? 'true' : undefined} value={v.typed ?? v.subtrees.map((s) => s.oid).join('\n')} />
            <p id="subtrees-hint" class="hint">{t('admin.applyScope.hint')}</p>
          </div>
          <button type="submit">{t('admin.applyScope.submit')}</button>
        </form>
      )}
      <p><a href="/admin/systems">{t('admin.systems')}</a></p>
    </Layout>
  );
}
