// One organisation (ORG-1, ORG-3, ORG-4): details, parent and children, the effective policy with
// the node each value comes from, and for the central authority the policy and move forms.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { Org } from '../../db/types.ts';
import { lastArc } from '../oid.ts';
import { POLICY_KEYS, settingKind, settingSeed, type Policy, type PolicyKey, type PolicySettings, type PolicySources } from '../policy.ts';
import type { Problem } from '../service.ts';
import { kindLabel, policyValueText, Problems, settingLabel } from './shared.tsx';

export interface NodeView {
  org: Org;
  parent?: Org;
  children: Org[];
  effective: { policy: Policy; sources: PolicySources };
  settings: PolicySettings;
  canManage: boolean;
  info?: string;
  /** Submitted policy values and why they were refused. */
  policyForm?: { values: Record<string, string>; problems: Problem[] };
  moveForm?: { value: string; problems: Problem[] };
}

/** A stored setting as the text a form field holds (the inverse of parseSetting). */
export function settingText(value: unknown): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

const fieldId = (key: PolicyKey) => `policy-${key.replaceAll('.', '-')}`;

function EffectivePolicy({ ctx, v }: { ctx: PageContext; v: NodeView }) {
  const { t } = ctx;
  return (
    <table>
      <caption>{t('policy.title')}</caption>
      <thead>
        <tr><th scope="col">{t('policy.setting')}</th><th scope="col">{t('policy.value')}</th><th scope="col">{t('policy.source')}</th></tr>
      </thead>
      <tbody>
        {POLICY_KEYS.map((k) => {
          const src = v.effective.sources[k];
          return (
            <tr data-key={k}>
              <th scope="row">{settingLabel(ctx, k)}</th>
              <td>{policyValueText(ctx, v.effective.policy[k])}</td>
              <td data-source={src ?? 'default'}>
                {src === null ? t('policy.default', { seed: settingSeed(k) })
                  : src === v.org.oid ? <><span class="oid">{src}</span>{t('policy.thisNode')}</>
                  : <a href={`/orgs/${src}`} class="oid">{src}</a>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PolicyField({ ctx, k, value, invalid, effective }: { ctx: PageContext; k: PolicyKey; value: string; invalid: boolean; effective: string }) {
  const { t } = ctx;
  const id = fieldId(k);
  const kind = settingKind(k);
  const common = { id, name: k, 'aria-describedby': `${id}-hint`, 'aria-invalid': invalid ? 'true' as const : undefined };
  const inherit = <option value="" selected={value === ''}>{t('policy.inheritOption')}</option>;
  return (
    <div>
      <label for={id}>{settingLabel(ctx, k)}</label>
      {kind.type === 'bool' ? (
        <select {...common}>{inherit}
          <option value="true" selected={value === 'true'}>{t('common.yes')}</option>
          <option value="false" selected={value === 'false'}>{t('common.no')}</option>
        </select>
      ) : kind.type === 'enum' ? (
        <select {...common}>{inherit}
          {kind.values.map((c) => <option value={c} selected={value === c}>{policyValueText(ctx, c)}</option>)}
        </select>
      ) : kind.type === 'int' ? (
        // Plain text with a numeric keyboard: the server, not the browser, explains a bad value.
        <input {...common} inputMode="numeric" maxLength={12} value={value} />
      ) : (
        <input {...common} maxLength={500} value={value} />
      )}
      <p id={`${id}-hint`} class="hint">
        {t('policy.currentEffective', { value: effective })}
        {kind.type === 'int' && ` (${kind.min}–${kind.max})`}
        {kind.type === 'list' && ` · ${t('policy.listHint')}`}
      </p>
    </div>
  );
}

function PolicyForm({ ctx, v }: { ctx: PageContext; v: NodeView }) {
  const bad = new Set(v.policyForm?.problems.flatMap((p) => p.settings ?? []).map((e) => e.key));
  return (
    <section aria-labelledby="policy-edit-heading">
      <h2 id="policy-edit-heading">{ctx.t('policy.edit')}</h2>
      <Problems ctx={ctx} problems={v.policyForm?.problems} />
      <form method="post" action={`/orgs/${v.org.oid}/policy`} class="stack">
        <CsrfField ctx={ctx} />
        {POLICY_KEYS.map((k) => (
          <PolicyField ctx={ctx} k={k} invalid={bad.has(k)}
            value={v.policyForm ? (v.policyForm.values[k] ?? '') : settingText(v.settings[k])}
            effective={policyValueText(ctx, v.effective.policy[k])} />
        ))}
        <button type="submit">{ctx.t('orgs.save')}</button>
      </form>
    </section>
  );
}

function MoveForm({ ctx, v }: { ctx: PageContext; v: NodeView }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="move-heading">
      <h2 id="move-heading">{t('orgs.move')}</h2>
      <Problems ctx={ctx} problems={v.moveForm?.problems} />
      <form method="post" action={`/orgs/${v.org.oid}/move`} class="stack">
        <CsrfField ctx={ctx} />
        <div>
          <label for="move-parent">{t('orgs.moveTo')}</label>
          <input id="move-parent" name="parent" required maxLength={200} inputMode="decimal" aria-describedby="move-hint"
            value={v.moveForm?.value ?? ''} aria-invalid={v.moveForm?.problems.length ? 'true' : undefined} />
          <p id="move-hint" class="hint">{t('orgs.moveHint', { arc: lastArc(v.org.oid) })}</p>
        </div>
        <button type="submit">{t('orgs.move')}</button>
      </form>
    </section>
  );
}

export function NodePage({ ctx, v }: { ctx: PageContext; v: NodeView }) {
  const { t } = ctx;
  const o = v.org;
  return (
    <Layout ctx={ctx} title={o.name}>
      {v.info && <Notice kind="info">{v.info}</Notice>}
      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t('orgs.details')}</h2>
        <dl>
          <dt>{t('orgs.oid')}</dt><dd class="oid" data-testid="oid">{o.oid}</dd>
          <dt>{t('orgs.name')}</dt><dd>{o.name}</dd>
          <dt>{t('orgs.agencyCode')}</dt><dd class="oid">{o.agency_code ?? '—'}</dd>
          <dt>{t('orgs.tenantCode')}</dt><dd class="oid">{o.tenant_code ?? '—'}</dd>
          <dt>{t('orgs.kind')}</dt><dd>{kindLabel(ctx, o.kind)}</dd>
          <dt>{t('orgs.parent')}</dt>
          <dd data-testid="parent">{v.parent ? <a href={`/orgs/${v.parent.oid}`}><span class="oid">{v.parent.oid}</span> {v.parent.name}</a> : t('orgs.root')}</dd>
        </dl>
      </section>
      <section aria-labelledby="children-heading">
        <h2 id="children-heading">{t('orgs.children')}</h2>
        {v.children.length === 0 ? <p>{t('orgs.none')}</p> : (
          <ul>{v.children.map((c) => <li><a href={`/orgs/${c.oid}`}><span class="oid">{c.oid}</span> {c.name}</a></li>)}</ul>
        )}
      </section>
      <section aria-labelledby="policy-heading">
        <h2 id="policy-heading">{t('policy.title')}</h2>
        <p class="hint">{t('policy.note')}</p>
        <EffectivePolicy ctx={ctx} v={v} />
      </section>
      {v.canManage && <p><a href={`/orgs/${o.oid}/usage-rules`}>{t('usageRules.manage')}</a></p>}
      {v.canManage && <PolicyForm ctx={ctx} v={v} />}
      {v.canManage && <MoveForm ctx={ctx} v={v} />}
    </Layout>
  );
}
