// SSO-6: a SCIM filter tree compiled to one SQL boolean over an attribute map (RFC 7644
// §3.4.2.2). Every literal is a bound parameter, never text in the statement. A comparison with a
// missing attribute is SQL's unknown, which WHERE treats as false and which AND and OR carry as
// false would; only "not" needs it made false first (NOT COALESCE(…, false)), so "not (title pr)"
// finds the people without a title. Leaves stay bare, so an index serves `userName eq`.
// caseExact per attribute; an unsupported attribute or an operator its type lacks is invalidFilter.
import { sql, type Expression, type SqlBool } from 'kysely';
import { invalidFilter } from '../errors.ts';
import type { Filter, Literal, CompareOp } from './ast.ts';
import { multiOf, resolveAttr, valueMap, type AttrMap, type ScalarAttr } from './attributes.ts';

export type Sql = Expression<unknown>;
export type SqlAttrMap = AttrMap<Sql>;

const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function stringOperand(a: ScalarAttr<Sql>, value: Literal, op: CompareOp): { left: Sql; right: Sql; raw: string } {
  if (typeof value !== 'string') throw invalidFilter(`'${op}' on a string attribute needs a string value`);
  if (a.caseExact) return { left: a.expr, right: sql`${value}::text`, raw: value };
  const lowered = value.toLowerCase();
  return { left: a.storedLower ? a.expr : sql`lower(${a.expr})`, right: sql`${lowered}::text`, raw: lowered };
}

function compareString(a: ScalarAttr<Sql>, op: CompareOp, value: Literal): Expression<SqlBool> {
  if (op === 'eq' && a.eq && typeof value === 'string') return a.eq(value) as Expression<SqlBool> ?? FALSE;
  const { left, right } = stringOperand(a, value, op);
  switch (op) {
    case 'eq': return sql<SqlBool>`${left} = ${right}`;
    case 'ne': return sql<SqlBool>`${left} IS DISTINCT FROM ${right}`;
    case 'co': return sql<SqlBool>`strpos(${left}, ${right}) > 0`;
    case 'sw': return sql<SqlBool>`starts_with(${left}, ${right})`;
    case 'ew': return sql<SqlBool>`right(${left}, char_length(${right})) = ${right}`;
    case 'gt': return sql<SqlBool>`${left} COLLATE "C" > ${right}`;
    case 'ge': return sql<SqlBool>`${left} COLLATE "C" >= ${right}`;
    case 'lt': return sql<SqlBool>`${left} COLLATE "C" < ${right}`;
    case 'le': return sql<SqlBool>`${left} COLLATE "C" <= ${right}`;
  }
}

function asBoolean(value: Literal): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidFilter('A boolean attribute compares with true or false');
}

function compareBoolean(a: ScalarAttr<Sql>, op: CompareOp, value: Literal): Expression<SqlBool> {
  if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' is not defined for a boolean attribute`);
  const v = asBoolean(value);
  return op === 'eq' ? sql<SqlBool>`${a.expr} = ${v}` : sql<SqlBool>`${a.expr} IS DISTINCT FROM ${v}`;
}

function compareDate(a: ScalarAttr<Sql>, op: CompareOp, value: Literal): Expression<SqlBool> {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) throw invalidFilter('A dateTime attribute compares with a date such as "2026-12-01T00:00:00Z"');
  const right = sql`${new Date(value).toISOString()}::timestamptz`;
  const symbol = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', ge: '>=', lt: '<', le: '<=' }[op as string];
  if (!symbol) throw invalidFilter(`'${op}' is not defined for a dateTime attribute`);
  return sql<SqlBool>`${a.expr} ${sql.raw(symbol)} ${right}`;
}

function present(a: ScalarAttr<Sql>): Expression<SqlBool> {
  return a.type === 'string' ? sql<SqlBool>`(${a.expr} IS NOT NULL AND ${a.expr} <> '')` : sql<SqlBool>`${a.expr} IS NOT NULL`;
}

function compare(a: ScalarAttr<Sql>, op: CompareOp, value: Literal): Expression<SqlBool> {
  // `eq null` is "not present", `ne null` "present" (RFC 7644 §3.4.2.2 treats null as unassigned).
  if (value === null) {
    if (op === 'eq') return sql<SqlBool>`NOT ${present(a)}`;
    if (op === 'ne') return present(a);
    throw invalidFilter(`'${op}' cannot compare with null`);
  }
  return a.type === 'string' ? compareString(a, op, value) : a.type === 'boolean' ? compareBoolean(a, op, value) : compareDate(a, op, value);
}

/** The filter as one SQL boolean over `map`; throws invalidFilter for what the map cannot answer. */
export function compileFilter(f: Filter, map: SqlAttrMap): Expression<SqlBool> {
  switch (f.op) {
    case 'and': return sql<SqlBool>`(${compileFilter(f.left, map)} AND ${compileFilter(f.right, map)})`;
    case 'or': return sql<SqlBool>`(${compileFilter(f.left, map)} OR ${compileFilter(f.right, map)})`;
    case 'not': return sql<SqlBool>`(NOT COALESCE(${compileFilter(f.filter, map)}, false))`;
    case 'valuePath': {
      const m = multiOf(map, f.path);
      const branches = m.values.map((v) => sql<SqlBool>`(${v.present} AND ${compileFilter(f.filter, valueMap(m.schema, v.subs))})`);
      return branches.length ? sql<SqlBool>`(${sql.join(branches, sql` OR `)})` : FALSE;
    }
    default: {
      const r = resolveAttr(map, f.path);
      const leaf = (a: ScalarAttr<Sql>) => f.op === 'pr' ? present(a) : compare(a, f.op, f.value);
      if (r.kind === 'scalar') return leaf(r.attr);
      // A multi-valued attribute matches when one of its values does.
      const branches = r.attr.values.filter((v) => v.subs[r.sub]).map((v) => sql<SqlBool>`(${v.present} AND ${leaf(v.subs[r.sub])})`);
      return branches.length ? sql<SqlBool>`(${sql.join(branches, sql` OR `)})` : FALSE;
    }
  }
}

/** The expression to sort by: a single-valued attribute, or the first (primary) value of a multi-valued one. */
export function sortExpression(path: Parameters<typeof resolveAttr>[1], map: SqlAttrMap): Sql {
  const r = resolveAttr(map, path);
  if (r.kind === 'scalar') return r.attr.caseExact || r.attr.type !== 'string' || r.attr.storedLower ? r.attr.expr : sql`lower(${r.attr.expr})`;
  return r.attr.values[0].subs[r.sub]?.expr ?? sql`null`;
}

export { TRUE as SQL_TRUE };
