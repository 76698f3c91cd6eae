// 公告管理 (SSO-5): the announcements the caller may manage, the form to publish or edit one, and
// the delete confirmation. Only the systems the caller may manage are offered.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { FieldShell, describedBy } from '../../admin/views/fields.tsx';
import type { Announcement, AnnouncementPage, ManageScope } from '../announcements.ts';
import type { AnnouncementErrors, AnnouncementInput } from '../announcement-rules.ts';
import { BODY_MAX, TITLE_MAX } from '../announcement-rules.ts';
import { AnnouncementTable, Pager } from './announcement-table.tsx';
import { AnnouncementMeta } from './announcements.tsx';

export function ManageAnnouncementsPage({ ctx, r, done }: { ctx: PageContext; r: AnnouncementPage; done?: MessageKey }) {
  const { t } = ctx;
  const link = (page: number) => `/admin/announcements?page=${page}`;
  return (
    <Layout ctx={ctx} title={t('ann.admin.title')}>
      {done && <Notice kind="info">{t(done)}</Notice>}
      <p>{t('ann.admin.intro')}</p>
      <p><a href="/admin/announcements/new">{t('ann.admin.new')}</a></p>
      <Pager ctx={ctx} r={r} link={link} />
      <AnnouncementTable ctx={ctx} r={r} href={(a) => `/admin/announcements/${a.id}`} actions={(a) => (
        <>
          <a href={`/admin/announcements/${a.id}`} aria-label={t('ann.admin.editOne', { title: a.title })}>{t('ann.admin.editLink')}</a>
          {' '}<a href={`/admin/announcements/${a.id}/delete`} aria-label={t('ann.admin.deleteOne', { title: a.title })}>{t('ann.admin.delete')}</a>
        </>
      )} />
      {r.items.length > 0 && <Pager ctx={ctx} r={r} link={link} below />}
    </Layout>
  );
}

export interface AnnouncementFormView { scope: ManageScope; values: AnnouncementInput; errors?: AnnouncementErrors; existing?: Announcement }

export function AnnouncementFormPage({ ctx, v }: { ctx: PageContext; v: AnnouncementFormView }) {
  const { t } = ctx;
  const e = v.errors ?? {};
  const err = (k?: MessageKey) => (k ? t(k) : undefined);
  const action = v.existing ? `/admin/announcements/${v.existing.id}` : '/admin/announcements';
  const system = v.values.systemCode ?? '';
  return (
    <Layout ctx={ctx} title={t(v.existing ? 'ann.admin.edit' : 'ann.admin.new')}>
      {Object.keys(e).length > 0 && <Notice kind="error">{t('error.badRequest')}</Notice>}
      {v.existing && <AnnouncementMeta ctx={ctx} a={v.existing} />}
      <form method="post" action={action} class="stack">
        <CsrfField ctx={ctx} />
        <fieldset aria-describedby={describedBy('audience', t('ann.field.audienceHint'), err(e.audience))}>
          <legend>{t('ann.field.audience')}</legend>
          <span id="audience-hint" class="hint">{t('ann.field.audienceHint')}</span>
          {(['guest', 'member'] as const).map((a) => (
            <label class="choice"><input type="radio" name="audience" value={a} checked={v.values.audience === a} />{' '}
              {t(a === 'guest' ? 'ann.audience.guest' : 'ann.audience.member')}</label>
          ))}
          {e.audience && <span id="audience-error" class="field-error">{t(e.audience)}</span>}
        </fieldset>
        <FieldShell ctx={ctx} name="systemCode" label={t('ann.field.system')} hint={t('ann.field.systemHint')} error={err(e.systemCode)}>
          <select id="systemCode" name="systemCode" aria-invalid={e.systemCode ? 'true' : undefined}
            aria-describedby={describedBy('systemCode', t('ann.field.systemHint'), err(e.systemCode))}>
            {v.scope.platform && <option value="" selected={system === ''}>{t('ann.platform')}</option>}
            {v.scope.systems.map((s) => <option value={s.code} selected={s.code === system}>{`${ctx.lang === 'en' ? s.nameEn : s.nameZh} (${s.code})`}</option>)}
          </select>
        </FieldShell>
        <FieldShell ctx={ctx} name="title" label={t('ann.field.title')} error={err(e.title)} required>
          <input id="title" name="title" value={v.values.title ?? ''} maxLength={TITLE_MAX} autocomplete="off" aria-required="true"
            aria-invalid={e.title ? 'true' : undefined} aria-describedby={describedBy('title', undefined, err(e.title))} />
        </FieldShell>
        <FieldShell ctx={ctx} name="body" label={t('ann.field.body')} hint={t('ann.field.bodyHint')} error={err(e.body)} required>
          <textarea id="body" name="body" rows={12} cols={60} maxLength={BODY_MAX} aria-required="true"
            aria-invalid={e.body ? 'true' : undefined} aria-describedby={describedBy('body', t('ann.field.bodyHint'), err(e.body))}>{v.values.body ?? ''}</textarea>
        </FieldShell>
        <div>
          <button type="submit">{t('ann.admin.save')}</button>{' '}
          <a href="/admin/announcements">{t('ann.admin.cancel')}</a>
        </div>
      </form>
    </Layout>
  );
}

export function DeleteAnnouncementPage({ ctx, a }: { ctx: PageContext; a: Announcement }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('ann.admin.deleteTitle')}>
      <Notice kind="error">{t('ann.admin.deleteWarning')}</Notice>
      <h2>{a.title}</h2>
      <AnnouncementMeta ctx={ctx} a={a} />
      <form method="post" action={`/admin/announcements/${a.id}/delete`}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="danger">{t('ann.admin.deleteConfirm')}</button>{' '}
        <a href="/admin/announcements">{t('ann.admin.cancel')}</a>
      </form>
    </Layout>
  );
}
