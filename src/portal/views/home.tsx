// 我的首頁 (SSO-4, ACC-6; seed 003's 使用者資訊 / 應用系統列表區 / 下載區 and seed 001's 公告 and 網站入口).
import { Layout, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { ActiveSession } from '../../auth/sessions.ts';
import { formatTime } from '../../platform/web/format.ts';
import type { AnnouncementPage } from '../announcements.ts';
import type { Tile } from '../home.ts';
import type { Download } from '../downloads.ts';
import { AnnouncementTable } from './announcement-table.tsx';

export interface HomeView {
  s: ActiveSession; info?: string; tiles: Tile[]; announcements: AnnouncementPage; downloads: readonly Download[];
  manage: { announcements: boolean; sso: boolean };
  /** AUTH-9: the card is required and none is registered: register it by then. */
  certificateDue?: Date | null;
  /** Account reviews that ask this holder to confirm their account (GOV-3, seed 002). */
  attestationsOwed?: number;
}

function Tiles({ ctx, tiles }: { ctx: PageContext; tiles: Tile[] }) {
  const { t } = ctx;
  if (tiles.length === 0) return <p data-testid="no-tiles">{t('portal.systems.none')}</p>;
  return (
    <ul class="tiles">
      {tiles.map((tile) => {
        const name = ctx.lang === 'en' ? tile.nameEn : tile.nameZh;
        return (
          <li data-system={tile.code}>
            {tile.href
              ? <a href={tile.href} aria-label={t('portal.systems.enter', { name })}>{name}</a>
              : <span>{name}</span>}
            {tile.state === 'no_link' && <> <span class="hint">{t('portal.systems.noLink')}</span></>}
            {tile.state === 'disabled' && <> <span class="hint">{t('portal.systems.disabled')}</span></>}
            {tile.certificateRequired && <> <span class="hint">{t('portal.systems.certificate')}</span></>}
            {' '}<span class="hint">{t(tile.consented ? 'portal.systems.consented' : 'portal.systems.consentPending')}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function HomePage({ ctx, v }: { ctx: PageContext; v: HomeView }) {
  const { t } = ctx;
  const { s } = v;
  const when = (d: Date | null) => (d ? formatTime(d, ctx.lang) : t('home.never'));
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {v.certificateDue && (
        <div class="notice warning" role="status" data-testid="certificate-due">
          {t('cert.method.registerBy', { date: formatTime(v.certificateDue, ctx.lang) })}{' '}<a href="/account/certificates">{t('cert.register')}</a>
        </div>
      )}
      {(v.attestationsOwed ?? 0) > 0 && <Notice kind="warning">{t('attest.owed', { n: v.attestationsOwed! })} <a href="/account/attestations">{t('attest.go')}</a></Notice>}
      <section aria-labelledby="home-user">
        <h2 id="home-user">{t('home.userInfo')}</h2>
        <p>{t('home.welcome', { name: s.name })}</p>
        <dl>
          <dt>{t('home.username')}</dt><dd>{s.username}</dd>
          <dt>{t('home.unit')}</dt><dd class="oid">{s.unitOid}</dd>
          <dt>{t('home.state')}</dt><dd>{t(`state.${s.state}` as 'state.enabled')}</dd>
          <dt>{t('home.lastPasswordLogin')}</dt><dd data-testid="last-password-login">{when(s.authMethod === 'password' ? s.previousLoginAt : s.lastPasswordLoginAt)}</dd>
          <dt>{t('home.lastCertificateLogin')}</dt><dd data-testid="last-certificate-login">{when(s.lastCertificateLoginAt)}</dd>
          <dt>{t('home.lastPasskeyLogin')}</dt><dd data-testid="last-passkey-login">{when(s.authMethod === 'passkey' ? s.previousLoginAt : s.lastPasskeyLoginAt)}</dd>
        </dl>
      </section>
      <section aria-labelledby="home-systems">
        <h2 id="home-systems">{t('portal.systems')}</h2>
        {v.tiles.length > 0 && <p>{t('portal.systems.intro')}</p>}
        <Tiles ctx={ctx} tiles={v.tiles} />
      </section>
      <section aria-labelledby="home-announcements">
        <h2 id="home-announcements">{t('portal.announcements')}</h2>
        <AnnouncementTable ctx={ctx} r={v.announcements} href={(a) => `/announcements/${a.id}`} />
        <p><a href="/announcements">{t('portal.announcements.more')}</a></p>
      </section>
      <section aria-labelledby="home-downloads">
        <h2 id="home-downloads">{t('portal.downloads')}</h2>
        <p>{t('portal.downloads.intro')}</p>
        <ul>
          {v.downloads.map((d) => <li><a href={`/downloads/${d.file}`} download>{t(d.title)}</a></li>)}
        </ul>
      </section>
      <section aria-labelledby="home-account">
        <h2 id="home-account">{t('portal.myAccount')}</h2>
        <ul>
          <li><a href="/consents">{t('portal.consents')}</a></li>
          <li><a href="/profile">{t('profile.title')}</a></li>
          <li><a href="/password/change">{t('nav.password')}</a></li>
        </ul>
      </section>
      {(v.manage.announcements || v.manage.sso) && (
        <section aria-labelledby="home-manage">
          <h2 id="home-manage">{t('portal.manage')}</h2>
          <ul>
            {v.manage.announcements && <li><a href="/admin/announcements">{t('portal.manage.announcements')}</a></li>}
            {v.manage.sso && <li><a href="/admin/sso">{t('portal.manage.sso')}</a></li>}
          </ul>
        </section>
      )}
    </Layout>
  );
}
