// INC-9: the built-in deadline profiles, by id; `tw-cs` is the default.
import type { DeadlineProfile } from '../types.ts';
import { TW_CS } from './tw-cs.ts';
import { NIS2_ART23, GDPR_ART33 } from './eu.ts';
import { TW_CS_DRILL } from './drill.ts';

export const DEFAULT_PROFILE_ID = 'tw-cs';
export const DRILL_PROFILE_ID = 'tw-cs-drill';

/** Frozen all the way down: a caller that edits a built-in profile gets an error, not a changed law. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

export const BUILT_IN_PROFILES: Readonly<Record<string, DeadlineProfile>> = deepFreeze({
  [TW_CS.id]: TW_CS,
  [NIS2_ART23.id]: NIS2_ART23,
  [GDPR_ART33.id]: GDPR_ART33,
  [TW_CS_DRILL.id]: TW_CS_DRILL,
});

export { TW_CS, NIS2_ART23, GDPR_ART33, TW_CS_DRILL };
