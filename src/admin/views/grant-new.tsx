// 新增管理授權 (ADM-1, ADM-7; seed 001 「系統確認相關資訊後會幫學校建立主帳號」): the holder by
// username, a kind the administrator may give, the jurisdiction by OID, agency code or school
// code, and categories among its own. Works without JavaScript; errors come back at each field.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { GrantKind } from '../../access/authorize.ts';
import type { GrantField } from '../grants.ts';
import { Field, FieldShell, describedBy } from './fields.tsx';

export interface GrantFormValues { username: string; kind: string; jurisdiction: string; categories: string[] }

export interface GrantFormView {
  values: GrantFormValues;
  kinds: GrantKind[];
  categories: { code: string; label: string }[];
  /** The administrator's own grant scope as labels; none for the central authority. */
  roots: string[];
  holder?: { name: string; username: string };
  errors?: Partial<Record<GrantField, { key: MessageKey; vars?: Record<string, string> }>>;
}

export function GrantNewPage({ ctx, v }: { ctx: PageContext; v: GrantFormView }) {
  const { t } = ctx;
  const err = (f: GrantField) => { const e = v.errors?.[f]; return e ? t(e.key, e.vars) : undefined; };
  const kindError = err('kind'), catError = err('categories');
  const title = v.holder ? t('grant.newFor', v.holder) : t('grant.new');
  return (
    <Layout ctx={ctx} title={title}>
      {v.errors && Object.keys(v.errors).length > 0 && <Notice kind="error">{t('error.badRequest')}</Notice>}
      {v.roots.length > 0 && <p>{t('grant.yourScope', { roots: v.roots.join('、') })}</p>}
      <form method="post" action="/admin/grants" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <p class="hint">{t('admin.required')}</p>
        <Field ctx={ctx} name="username" label={t('grant.field.username')} value={v.values.username} error={err('account')}
          hint={t('grant.field.usernameHint')} required maxLength={100} />
        <FieldShell ctx={ctx} name="kind" label={t('grant.field.kind')} error={kindError} required>
          <select id="kind" name="kind" aria-required="true" aria-invalid={kindError ? 'true' : undefined}
            aria-describedby={['kind-hints', kindError ? 'kind-error' : ''].filter(Boolean).join(' ')}>
            {v.kinds.map((k) => <option value={k} selected={k === v.values.kind}>{t(`admin.kind.${k}`)}</option>)}
          </select>
        </FieldShell>
        <ul id="kind-hints" class="hint">
          {v.kinds.map((k) => <li>{t(`grant.kindHint.${k as Exclude<GrantKind, 'central'>}`)}</li>)}
        </ul>
        <Field ctx={ctx} name="jurisdiction" label={t('grant.field.jurisdiction')} value={v.values.jurisdiction} error={err('jurisdiction')}
          hint={t('grant.field.jurisdictionHint')} required />
        <fieldset aria-describedby={describedBy('categories', 'hint', catError)}>
          <legend>{t('grant.field.categories')}</legend>
          <span id="categories-hint" class="hint">{t('grant.field.categoriesHint')}</span>
          {v.categories.map((c) => (
            <div>
              <input type="checkbox" id={`category-${c.code === '*' ? 'all' : c.code}`} name="categories" value={c.code} checked={v.values.categories.includes(c.code)} />
              <label for={`category-${c.code === '*' ? 'all' : c.code}`}>{c.label}</label>
            </div>
          ))}
          {catError && <span id="categories-error" class="field-error">{catError}</span>}
        </fieldset>
        <button type="submit">{t('grant.submit')}</button>
      </form>
      <p><a href="/admin/grants">{t('grant.title')}</a></p>
    </Layout>
  );
}
