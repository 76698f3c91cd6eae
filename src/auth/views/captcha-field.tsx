// The captcha block of the public forms (AUTH-1, AUTH-5): picture with a text alternative, a link
// to a fresh page (a new picture without JavaScript), the hidden id and the answer field.
import type { PageContext } from '../../platform/web/layout.tsx';

export interface CaptchaView { id: string; imageDataUri: string }

export function CaptchaField({ ctx, captcha, refreshHref }: { ctx: PageContext; captcha?: CaptchaView; refreshHref: string }) {
  if (!captcha) return null;
  const { t } = ctx;
  return (
    <div>
      <label for="captcha">{t('login.captcha')}</label>
      <div class="captcha">
        <img src={captcha.imageDataUri} alt={t('login.captchaImage')} width={180} height={52} />
        <a href={refreshHref}>{t('login.captchaRefresh')}</a>
      </div>
      <input type="hidden" name="captchaId" value={captcha.id} />
      <input id="captcha" name="captcha" inputMode="numeric" autocomplete="off" required maxLength={6} pattern="[0-9]{6}" />
    </div>
  );
}
