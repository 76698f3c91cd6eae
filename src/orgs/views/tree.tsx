// The organisation tree (ORG-1): nested lists built from parent_oid, and the add form for the
// central authority.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { Org } from '../../db/types.ts';
import { compareOids } from '../oid.ts';
import { ORG_KINDS } from '../csv.ts';
import type { Problem } from '../service.ts';
import { kindLabel, Problems } from './shared.tsx';

export interface AddForm { values: Record<string, string>; problems?: Problem[] }
export interface TreeView { orgs: Org[]; canManage: boolean; form?: AddForm; info?: string }

function Branch({ ctx, node, byParent }: { ctx: PageContext; node: Org; byParent: Map<string | null, Org[]> }) {
  const kids = byParent.get(node.oid) ?? [];
  return (
    <li>
      <a href={`/orgs/${node.oid}`}><span class="oid">{node.oid}</span> {node.name}</a>
      {node.agency_code && <> · {ctx.t('orgs.agencyCode')} <span class="oid">{node.agency_code}</span></>}
      {node.tenant_code && <> · {ctx.t('orgs.tenantCode')} <span class="oid">{node.tenant_code}</span></>}
      {kids.length > 0 && <ul class="tree">{kids.map((k) => <Branch ctx={ctx} node={k} byParent={byParent} />)}</ul>}
    </li>
  );
}

export function AddOrgForm({ ctx, form }: { ctx: PageContext; form?: AddForm }) {
  const { t } = ctx;
  const v = form?.values ?? {};
  const invalid = form?.problems?.length ? 'true' : undefined;
  return (
    <section aria-labelledby="add-heading">
      <h2 id="add-heading">{t('orgs.add')}</h2>
      <Problems ctx={ctx} problems={form?.problems} />
      <form method="post" action="/orgs" class="stack">
        <CsrfField ctx={ctx} />
        <div>
          <label for="add-oid">{t('orgs.oid')}</label>
          <input id="add-oid" name="oid" required maxLength={200} inputMode="decimal" value={v.oid ?? ''} aria-invalid={invalid} />
        </div>
        <div>
          <label for="add-name">{t('orgs.name')}</label>
          <input id="add-name" name="name" required maxLength={200} value={v.name ?? ''} />
        </div>
        <div>
          <label for="add-agency">{t('orgs.agencyCode')}{t('orgs.optional')}</label>
          <input id="add-agency" name="agency_code" maxLength={12} value={v.agency_code ?? ''} />
        </div>
        <div>
          <label for="add-tenant">{t('orgs.tenantCode')}{t('orgs.optional')}</label>
          <input id="add-tenant" name="tenant_code" maxLength={12} value={v.tenant_code ?? ''} />
        </div>
        <div>
          <label for="add-kind">{t('orgs.kind')}</label>
          <select id="add-kind" name="kind">
            {ORG_KINDS.map((k) => <option value={k} selected={(v.kind ?? 'agency') === k}>{kindLabel(ctx, k)}</option>)}
          </select>
        </div>
        <button type="submit">{t('orgs.save')}</button>
      </form>
    </section>
  );
}

export function TreePage({ ctx, v }: { ctx: PageContext; v: TreeView }) {
  const byParent = new Map<string | null, Org[]>();
  for (const o of [...v.orgs].sort((a, b) => compareOids(a.oid, b.oid))) {
    const list = byParent.get(o.parent_oid) ?? [];
    list.push(o);
    byParent.set(o.parent_oid, list);
  }
  const roots = byParent.get(null) ?? [];
  return (
    <Layout ctx={ctx} title={ctx.t('orgs.title')}>
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {roots.length === 0
        ? <p>{ctx.t('orgs.none')}</p>
        : <ul class="tree root">{roots.map((r) => <Branch ctx={ctx} node={r} byParent={byParent} />)}</ul>}
      {v.canManage && <AddOrgForm ctx={ctx} form={v.form} />}
    </Layout>
  );
}
