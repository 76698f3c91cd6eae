// SSO-6: the syntax tree of a SCIM filter (RFC 7644 §3.4.2.2) and of a PATCH path (§3.5.2). Pure.

/** An attribute path: an optional schema URN, the attribute, an optional sub-attribute. Names as written. */
export interface AttrPath { schema?: string; attr: string; sub?: string }

export type Literal = string | number | boolean | null;
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: AttrPath }
  | { op: CompareOp; path: AttrPath; value: Literal }
  /** `emails[type eq "work"]`: the inner filter is over the sub-attributes of one value. */
  | { op: 'valuePath'; path: AttrPath; filter: Filter };

/** A PATCH path: attribute, an optional value filter, then an optional sub-attribute after it. */
export interface PatchPath { path: AttrPath; filter?: Filter; sub?: string }

export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
