// Pieces shared by the organisation pages: refusal notices, kind and policy value labels.
import { Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { POLICY_KEYS, type PolicyKey } from '../policy.ts';
import type { Problem } from '../service.ts';

export const kindLabel = (ctx: PageContext, kind: string): string =>
  ctx.t(`orgs.kind.${kind}` as MessageKey);

export const isPolicyKey = (k: string): k is PolicyKey => (POLICY_KEYS as string[]).includes(k);
export const settingLabel = (ctx: PageContext, key: string): string =>
  isPolicyKey(key) ? ctx.t(`policy.key.${key}`) : key;

/** An effective value as people read it: yes/no, a named choice (its name only), a list. */
export function policyValueText(ctx: PageContext, value: unknown): string {
  if (typeof value === 'boolean') return ctx.t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) return value.join(ctx.lang === 'en' ? ', ' : '、');
  if (typeof value === 'string') {
    const key = `policy.choice.${value}`;
    return key in CHOICE_KEYS ? ctx.t(key as MessageKey) : value;
  }
  return String(value);
}
const CHOICE_KEYS: Record<string, true> = Object.fromEntries(
  ['three_of_four', 'upper_lower_digit_only', 'alnum', 'tenant_prefixed', 'national_id', 'birthday_national_id', 'email_link']
    .map((c) => [`policy.choice.${c}`, true]),
);

/** One message per refusal; a policy refusal names every bad setting and why. */
export function problemText(ctx: PageContext, p: Problem): string {
  if (!p.settings?.length) return ctx.t(p.key);
  const en = ctx.lang === 'en';
  const keys = p.settings.map((e) => {
    const label = settingLabel(ctx, e.key), why = ctx.t(`policy.error.${e.error}`);
    return en ? `${label} (${why})` : `${label}（${why}）`;
  }).join(en ? '; ' : '、');
  return ctx.t(p.key, { keys });
}

export function Problems({ ctx, problems }: { ctx: PageContext; problems?: Problem[] }) {
  if (!problems?.length) return null;
  return (
    <Notice kind="error">
      {problems.map((p) => <p>{problemText(ctx, p)}</p>)}
    </Notice>
  );
}
