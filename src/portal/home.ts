// 我的首頁 (SSO-4): the systems the user holds a role in, each a tile, and what the tile links to.
// A system where the user holds no role has no tile; the provider refuses it too (SSO-2).
import type { Deps } from '../platform/deps.ts';
import { tileRows } from './home-queries.ts';

export interface Tile {
  code: string; nameZh: string; nameEn: string;
  /** Where the tile sends the user: the system's own login start (OIDC third-party-initiated login); none when not set or disabled. */
  href: string | null;
  state: 'ready' | 'no_link' | 'disabled';
  certificateRequired: boolean;
  consented: boolean;
}

/** OpenID Connect third-party-initiated login: the system is told which issuer to ask (`iss`, required by the spec). */
export function initiateLoginHref(initiateLoginUri: string, issuer: string): string {
  const u = new URL(initiateLoginUri);
  u.searchParams.set('iss', issuer);
  return u.toString();
}

export async function tilesFor(deps: Deps, accountId: number, issuer: string): Promise<Tile[]> {
  const rows = await tileRows(deps.db, accountId);
  return rows.map((r) => {
    const state: Tile['state'] = r.enabled === false ? 'disabled' : r.initiate_login_uri ? 'ready' : 'no_link';
    return {
      code: r.code, nameZh: r.name_zh, nameEn: r.name_en,
      href: state === 'ready' ? initiateLoginHref(r.initiate_login_uri!, issuer) : null,
      state,
      certificateRequired: r.certificate_required === true || (r.flags as { certificateRequired?: unknown }).certificateRequired === true,
      consented: r.granted_at !== null,
    };
  });
}
