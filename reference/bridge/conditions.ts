/**
 * A winning rule's condition applied to one table and caller: a row filter
 * for select/update/delete (SECURITY-001/002) and a check of the written
 * values for insert; anything the filter cannot express is 400 (SECURITY-003).
 */
import type { Caller } from './credentials.ts';
import { compileRowCondition, unsupported, type Term } from './cel-sql.ts';
import { badRequest, forbidden } from './errors.ts';
import { quote, type Column, type Rule, type Table } from './model.ts';
import type { Params } from './sql.ts';
import { castOf } from './values.ts';

const STRING_TYPES = ['string', 'file', 'uuid'];
const INTEGER_TYPES = ['int', 'bigint', 'serial', 'float', 'decimal'];
const BOOLEAN_TYPES = ['boolean'];

/** The column of a term, checked against the table and the literal's type. */
function columnOf(text: string, term: Term, table: Table): Column {
  const column = table.columns.get(term.column);
  if (!column) unsupported(text, `unknown column '${term.column.slice(0, 64)}'`);
  const value = term.value.kind === 'sub' ? '' : term.value.literal;
  const allowed = typeof value === 'string' ? STRING_TYPES : typeof value === 'bigint' ? INTEGER_TYPES : BOOLEAN_TYPES;
  if (!allowed.includes(column.type)) {
    throw badRequest(`condition compares column '${term.column}' (${column.type}) with a value of another type`);
  }
  return column;
}

function termValue(term: Term, caller: Caller): string | boolean {
  if (term.value.kind === 'sub') return caller.sub;
  const { literal } = term.value;
  return typeof literal === 'bigint' ? literal.toString() : literal;
}

function termSql(text: string, term: Term, table: Table, caller: Caller, params: Params): string {
  const column = columnOf(text, term, table);
  // A uuid column compared with a subject that is not a UUID must match nothing, not fail the cast.
  if (column.type === 'uuid') return `${quote(term.column)}::text = ${params.add(termValue(term, caller), 'text')}`;
  return `${quote(term.column)} = ${params.add(termValue(term, caller), castOf(column))}`;
}

/** The rule's one term, or undefined without a condition; an unsupported condition is 400. */
function ruleTerm(rule: Rule): { text: string; term: Term } | undefined {
  if (rule.condition === undefined) return undefined;
  const text = rule.condition;
  const compiled = compileRowCondition(text);
  if (compiled.kind === 'unsupported') unsupported(text, compiled.reason);
  return { text, term: compiled.term };
}

/** The SQL predicate the rule adds (ANDed into the statement), if it has a condition. */
export function conditionSql(rule: Rule, table: Table, caller: Caller, params: Params): string[] {
  const condition = ruleTerm(rule);
  return condition ? [termSql(condition.text, condition.term, table, caller, params)] : [];
}

/**
 * Whether a written value, already checked against its column's type, is the
 * term's value. Only a numeric column takes a JSON number; it matches an
 * integer literal by its decimal form (`15` and `"15"` on a bigint column).
 */
function sameValue(written: unknown, expected: string | boolean): boolean {
  return typeof written === 'number' ? String(written) === expected : written === expected;
}

/** Insert: the written values must satisfy the term, else 403 and nothing is written. */
export function checkInsertCondition(
  rule: Rule,
  table: Table,
  caller: Caller,
  row: Readonly<Record<string, unknown>>,
): void {
  const condition = ruleTerm(rule);
  if (!condition) return;
  const { text, term } = condition;
  columnOf(text, term, table);
  const written = Object.hasOwn(row, term.column) ? row[term.column] : undefined;
  if (!sameValue(written, termValue(term, caller))) throw forbidden('condition failed');
}
