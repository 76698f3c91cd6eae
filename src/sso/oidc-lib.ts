// oidc-provider is loaded on first use of single sign-on, not at start: it holds ~47 MB, which an
// instance that serves only pages and the API would carry idle (bench/login: RSS idle ≤ 150 MB).
import type * as Oidc from 'oidc-provider';

let lib: typeof Oidc | undefined;

export async function loadOidc(): Promise<typeof Oidc> {
  lib ??= await import('oidc-provider');
  return lib;
}

/** The library, once loadOidc has run: everything that uses it runs inside the provider it built. */
export function oidc(): typeof Oidc {
  if (!lib) throw new Error('oidc-provider is used before loadOidc()');
  return lib;
}
