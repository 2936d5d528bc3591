// DynamoDB's expression languages (condition, filter, key condition, update, projection): a tokenizer, a recursive
// descent parser into a small tree, and their evaluation over AttributeValue items.
import { addNumbers } from './decimal.js';
import { validation } from './errors.js';
import { type AttributeValue, compareValues, equalValues, type Item, typeOf, valueSize } from './values.js';

export type PathPart = string | number;
export interface Path {
  kind: 'path';
  parts: PathPart[];
}
export type Operand =
  | Path
  | { kind: 'value'; value: AttributeValue; name: string }
  | { kind: 'size'; path: Path }
  | { kind: 'if_not_exists'; path: Path; fallback: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Operand; right: Operand };
export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; options: Operand[] }
  | { kind: 'function'; name: string; args: Operand[] };
export interface UpdatePlan {
  set: { path: Path; value: Operand }[];
  remove: Path[];
  add: { path: Path; value: Operand }[];
  delete: { path: Path; value: Operand }[];
}

/** The names and values a request supplies, and which of them its expressions used (DynamoDB refuses unused ones). */
export class ExpressionContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  constructor(
    readonly names: Record<string, string> = {},
    readonly values: Record<string, AttributeValue> = {},
  ) {}

  name(token: string): string {
    const name = this.names[token];
    if (name === undefined) throw validation(`An expression attribute name used in the document path is not defined; attribute name: ${token}`);
    this.usedNames.add(token);
    return name;
  }

  value(token: string): AttributeValue {
    const value = this.values[token];
    if (value === undefined) throw validation(`An expression attribute value used in expression is not defined; attribute value: ${token}`);
    this.usedValues.add(token);
    return value;
  }

  /** After every expression of a request is parsed. */
  checkAllUsed(): void {
    const names = Object.keys(this.names).filter((n) => !this.usedNames.has(n));
    if (names.length > 0) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`);
    const values = Object.keys(this.values).filter((v) => !this.usedValues.has(v));
    if (values.length > 0) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`);
  }
}

const TOKEN = /\s*(#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\d+|<>|<=|>=|[=<>(),.[\]+-])/y;
const FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);

class Parser {
  private tokens: string[] = [];
  private at = 0;
  constructor(
    text: string,
    private readonly context: ExpressionContext,
    private readonly what: string,
  ) {
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < text.length) {
      const start = TOKEN.lastIndex;
      const match = TOKEN.exec(text);
      if (!match) {
        if (/^\s*$/.test(text.slice(start))) break;
        throw this.syntax(`Syntax error; token: "${text.slice(start).trim()[0]}", near: "${text.slice(start).trim().slice(0, 8)}"`);
      }
      this.tokens.push(match[1]!);
    }
    if (this.tokens.length === 0) throw validation(`Invalid ${what}: The expression can not be empty;`);
  }

  syntax(detail: string) {
    return validation(`Invalid ${this.what}: ${detail}`);
  }
  peek(offset = 0): string | undefined {
    return this.tokens[this.at + offset];
  }
  keyword(word: string): boolean {
    if (this.peek()?.toUpperCase() === word) {
      this.at++;
      return true;
    }
    return false;
  }
  expect(token: string): void {
    const next = this.tokens[this.at++];
    if (next !== token) throw this.syntax(`Syntax error; token: "${next ?? '<EOF>'}", near: "${this.tokens.slice(this.at - 2, this.at + 1).join(' ')}"`);
  }
  done(): void {
    if (this.at < this.tokens.length)
      throw this.syntax(`Syntax error; token: "${this.peek()}", near: "${this.tokens.slice(this.at - 1, this.at + 2).join(' ')}"`);
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.keyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }
  conjunction(): Condition {
    let left = this.negation();
    while (this.keyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }
  negation(): Condition {
    if (this.keyword('NOT')) return { kind: 'not', inner: this.negation() };
    return this.primary();
  }
  primary(): Condition {
    if (this.peek() === '(') {
      this.at++;
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const word = this.peek() ?? '';
    if (FUNCTIONS.has(word) && this.peek(1) === '(') {
      this.at += 2;
      const args = [this.operand()];
      while (this.peek() === ',') {
        this.at++;
        args.push(this.operand());
      }
      this.expect(')');
      return { kind: 'function', name: word, args };
    }
    const subject = this.operand();
    const op = this.peek();
    if (op && ['=', '<>', '<', '<=', '>', '>='].includes(op)) {
      this.at++;
      return { kind: 'compare', op, left: subject, right: this.operand() };
    }
    if (this.keyword('BETWEEN')) {
      const low = this.operand();
      if (!this.keyword('AND')) throw this.syntax('Syntax error; BETWEEN needs AND');
      return { kind: 'between', subject, low, high: this.operand() };
    }
    if (this.keyword('IN')) {
      this.expect('(');
      const options = [this.operand()];
      while (this.peek() === ',') {
        this.at++;
        options.push(this.operand());
      }
      this.expect(')');
      return { kind: 'in', subject, options };
    }
    throw this.syntax(`Syntax error; token: "${op ?? '<EOF>'}", near: "${this.tokens.slice(this.at - 1, this.at + 1).join(' ')}"`);
  }

  operand(): Operand {
    const token = this.peek();
    if (token === undefined) throw this.syntax('Syntax error; token: <EOF>');
    if (token.startsWith(':')) {
      this.at++;
      return { kind: 'value', value: this.context.value(token), name: token };
    }
    if (token === 'size' && this.peek(1) === '(') {
      this.at += 2;
      const path = this.path();
      this.expect(')');
      return { kind: 'size', path };
    }
    return this.path();
  }

  updateOperand(): Operand {
    const left = this.updateTerm();
    const op = this.peek();
    if (op === '+' || op === '-') {
      this.at++;
      return { kind: 'arithmetic', op, left, right: this.updateTerm() };
    }
    return left;
  }
  updateTerm(): Operand {
    const token = this.peek();
    if (token === 'if_not_exists' && this.peek(1) === '(') {
      this.at += 2;
      const path = this.path();
      this.expect(',');
      const fallback = this.updateTerm();
      this.expect(')');
      return { kind: 'if_not_exists', path, fallback };
    }
    if (token === 'list_append' && this.peek(1) === '(') {
      this.at += 2;
      const left = this.updateTerm();
      this.expect(',');
      const right = this.updateTerm();
      this.expect(')');
      return { kind: 'list_append', left, right };
    }
    if (token?.startsWith(':')) {
      this.at++;
      return { kind: 'value', value: this.context.value(token), name: token };
    }
    return this.path();
  }

  path(): Path {
    const parts: PathPart[] = [this.pathName()];
    for (;;) {
      if (this.peek() === '.') {
        this.at++;
        parts.push(this.pathName());
      } else if (this.peek() === '[') {
        this.at++;
        const index = this.tokens[this.at++];
        if (!index || !/^\d+$/.test(index)) throw this.syntax(`Syntax error; token: "${index}"`);
        this.expect(']');
        parts.push(Number(index));
      } else return { kind: 'path', parts };
    }
  }
  pathName(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) throw this.syntax('Syntax error; token: <EOF>');
    if (token.startsWith('#')) return this.context.name(token);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(token))
      throw this.syntax(`Syntax error; token: "${token}", near: "${this.tokens.slice(this.at - 2, this.at + 1).join(' ')}"`);
    if (RESERVED.has(token.toUpperCase())) throw this.syntax(`Attribute name is a reserved keyword; reserved keyword: ${token}`);
    return token;
  }

  update(): UpdatePlan {
    const plan: UpdatePlan = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (this.peek() !== undefined) {
      const clause = (this.tokens[this.at++] ?? '').toUpperCase();
      if (seen.has(clause)) throw this.syntax(`The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      do {
        if (clause === 'SET') {
          const path = this.path();
          this.expect('=');
          plan.set.push({ path, value: this.updateOperand() });
        } else if (clause === 'REMOVE') plan.remove.push(this.path());
        else if (clause === 'ADD' || clause === 'DELETE') {
          const path = this.path();
          const value = this.operand();
          (clause === 'ADD' ? plan.add : plan.delete).push({ path, value });
        } else throw this.syntax(`Syntax error; token: "${clause}"`);
      } while (this.peek() === ',' && ++this.at);
    }
    const paths = [...plan.set, ...plan.add, ...plan.delete].map((a) => a.path).concat(plan.remove);
    for (let i = 0; i < paths.length; i++)
      for (let j = i + 1; j < paths.length; j++) {
        const a = paths[i]!.parts;
        const b = paths[j]!.parts;
        const shorter = Math.min(a.length, b.length);
        if (a.slice(0, shorter).every((p, k) => p === b[k]))
          throw this.syntax(
            `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${a.join(', ')}], path two: [${b.join(', ')}]`,
          );
      }
    return plan;
  }

  projection(): Path[] {
    const paths = [this.path()];
    while (this.peek() === ',') {
      this.at++;
      paths.push(this.path());
    }
    return paths;
  }

  static condition(text: string, context: ExpressionContext, what: string): Condition {
    const parser = new Parser(text, context, what);
    const condition = parser.condition();
    parser.done();
    return condition;
  }
  static update(text: string, context: ExpressionContext): UpdatePlan {
    const parser = new Parser(text, context, 'UpdateExpression');
    const plan = parser.update();
    parser.done();
    return plan;
  }
  static projection(text: string, context: ExpressionContext): Path[] {
    const parser = new Parser(text, context, 'ProjectionExpression');
    const paths = parser.projection();
    parser.done();
    return paths;
  }
}

export const parseCondition = (text: string, context: ExpressionContext, what = 'ConditionExpression') => Parser.condition(text, context, what);
export const parseUpdate = Parser.update;
export const parseProjection = Parser.projection;

export function resolvePath(item: Item | undefined, parts: readonly PathPart[]): AttributeValue | undefined {
  let current: AttributeValue | undefined = item ? { M: item } : undefined;
  for (const part of parts) {
    if (!current) return undefined;
    if (typeof part === 'number') current = Array.isArray(current.L) ? (current.L as AttributeValue[])[part] : undefined;
    else current = current.M ? (current.M as Item)[part] : undefined;
  }
  return current;
}

function operandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return resolvePath(item, operand.parts);
    case 'value':
      return operand.value;
    case 'size': {
      const value = resolvePath(item, operand.path.parts);
      if (!value) return undefined;
      const type = typeOf(value);
      const v = value[type];
      let size: number;
      if (type === 'S') size = Buffer.byteLength(v as string);
      else if (type === 'B') size = Buffer.from(v as string, 'base64').length;
      else if (type === 'M') size = Object.keys(v as object).length;
      else if (type === 'L' || type === 'SS' || type === 'NS' || type === 'BS') size = (v as unknown[]).length;
      else return undefined;
      return { N: String(size) };
    }
    default:
      return updateValue(operand, item);
  }
}

export function evaluate(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.inner, item);
    case 'compare': {
      const left = operandValue(condition.left, item);
      const right = operandValue(condition.right, item);
      if (condition.op === '<>') return !(left && right && equalValues(left, right));
      if (!left || !right) return false;
      if (condition.op === '=') return equalValues(left, right);
      const order = compareValues(left, right);
      if (order === undefined) return false;
      return condition.op === '<' ? order < 0 : condition.op === '<=' ? order <= 0 : condition.op === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const subject = operandValue(condition.subject, item);
      const low = operandValue(condition.low, item);
      const high = operandValue(condition.high, item);
      if (!subject || !low || !high) return false;
      const bounds = compareValues(low, high);
      if (bounds !== undefined && bounds > 0 && condition.low.kind === 'value' && condition.high.kind === 'value')
        throw validation(
          `Invalid ${'ConditionExpression'}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${JSON.stringify(low)}, upper bound operand: AttributeValue: ${JSON.stringify(high)}`,
        );
      const above = compareValues(subject, low);
      const below = compareValues(subject, high);
      return above !== undefined && below !== undefined && above >= 0 && below <= 0;
    }
    case 'in': {
      const subject = operandValue(condition.subject, item);
      return !!subject && condition.options.some((option) => equalValues(subject, operandValue(option, item)));
    }
    case 'function': {
      const [first, second] = condition.args;
      const path = first?.kind === 'path' ? first : undefined;
      const needPath = () => {
        if (!path) throw validation(`Invalid ConditionExpression: Operator or function requires a document path; operator or function: ${condition.name}`);
        return path;
      };
      switch (condition.name) {
        case 'attribute_exists':
          return resolvePath(item, needPath().parts) !== undefined;
        case 'attribute_not_exists':
          return resolvePath(item, needPath().parts) === undefined;
        case 'attribute_type': {
          const value = resolvePath(item, needPath().parts);
          const type = second ? operandValue(second, item) : undefined;
          return !!value && !!type && typeOf(value) === type.S;
        }
        case 'begins_with': {
          const value = first ? operandValue(first, item) : undefined;
          const prefix = second ? operandValue(second, item) : undefined;
          if (!value || !prefix || typeOf(value) !== typeOf(prefix)) return false;
          if (typeOf(value) === 'S') return (value.S as string).startsWith(prefix.S as string);
          if (typeOf(value) === 'B')
            return Buffer.from(value.B as string, 'base64')
              .subarray(0, Buffer.from(prefix.B as string, 'base64').length)
              .equals(Buffer.from(prefix.B as string, 'base64'));
          return false;
        }
        case 'contains': {
          const value = first ? operandValue(first, item) : undefined;
          const needle = second ? operandValue(second, item) : undefined;
          if (!value || !needle) return false;
          const type = typeOf(value);
          if (type === 'S') return typeOf(needle) === 'S' && (value.S as string).includes(needle.S as string);
          if (type === 'SS' || type === 'NS' || type === 'BS') {
            const elementType = type[0]!;
            return typeOf(needle) === elementType && (value[type] as string[]).some((e) => equalValues({ [elementType]: e }, needle));
          }
          if (type === 'L') return (value.L as AttributeValue[]).some((e) => equalValues(e, needle));
          return false;
        }
        default:
          throw validation(`Invalid ConditionExpression: Invalid function name; function: ${condition.name}`);
      }
    }
  }
}

function updateValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'if_not_exists':
      return resolvePath(item, operand.path.parts) ?? updateValue(operand.fallback, item);
    case 'list_append': {
      const left = updateValue(operand.left, item);
      const right = updateValue(operand.right, item);
      if (!left || !right) throw validation('The provided expression refers to an attribute that does not exist in the item');
      if (!left.L || !right.L) throw validation('An operand in the update expression has an incorrect data type');
      return { L: [...(left.L as AttributeValue[]), ...(right.L as AttributeValue[])] };
    }
    case 'arithmetic': {
      const left = updateValue(operand.left, item);
      const right = updateValue(operand.right, item);
      if (!left || !right) throw validation('The provided expression refers to an attribute that does not exist in the item');
      if (left.N === undefined || right.N === undefined) throw validation('An operand in the update expression has an incorrect data type');
      return { N: addNumbers(left.N as string, right.N as string, operand.op === '+' ? 1 : -1) };
    }
    default:
      return operandValue(operand, item);
  }
}

/**
 * Gives `item` its own copies of the maps and lists on the way to the path's last part: `item` is a shallow copy of
 * a stored item, whose nested values it shares until one is changed (stored items are never changed in place).
 */
function ownAlong(item: Item, parts: readonly PathPart[]): void {
  let container: Item | AttributeValue[] = item;
  for (const part of parts.slice(0, -1)) {
    const value: AttributeValue | undefined = (container as Record<string | number, AttributeValue | undefined>)[part];
    if (!value) return;
    const copy: AttributeValue | undefined = value.M
      ? { M: { ...(value.M as Item) } }
      : Array.isArray(value.L)
        ? { L: [...(value.L as AttributeValue[])] }
        : undefined;
    if (!copy) return;
    (container as Record<string | number, AttributeValue>)[part] = copy;
    container = (copy.M as Item | undefined) ?? (copy.L as AttributeValue[]);
  }
}

function setPath(item: Item, parts: readonly PathPart[], value: AttributeValue): void {
  const invalid = () => validation('The document path provided in the update expression is invalid for update');
  if (parts.length === 1) {
    item[parts[0] as string] = value;
    return;
  }
  ownAlong(item, parts);
  const parent = resolvePath(item, parts.slice(0, -1));
  const last = parts.at(-1)!;
  if (!parent) throw invalid();
  if (typeof last === 'number') {
    if (!Array.isArray(parent.L)) throw invalid();
    const list = parent.L as AttributeValue[];
    if (last >= list.length) list.push(value);
    else list[last] = value;
  } else {
    if (!parent.M) throw invalid();
    (parent.M as Item)[last] = value;
  }
}

function removePath(item: Item, parts: readonly PathPart[]): void {
  if (parts.length === 1) {
    delete item[parts[0] as string];
    return;
  }
  ownAlong(item, parts);
  const parent = resolvePath(item, parts.slice(0, -1));
  const last = parts.at(-1)!;
  if (!parent) return;
  if (typeof last === 'number') {
    if (Array.isArray(parent.L) && last < (parent.L as unknown[]).length) (parent.L as unknown[]).splice(last, 1);
  } else if (parent.M) delete (parent.M as Item)[last];
}

const SET_TYPES = new Set(['SS', 'NS', 'BS']);

/** The item after the update (a new object; `item` is left as it was). */
export function applyUpdate(plan: UpdatePlan, item: Item): Item {
  const original = item;
  // Shallow: setPath and removePath copy what they change below the top level.
  const next = { ...item };
  // Every right-hand side reads the item as it was before this update.
  const sets = plan.set.map((action) => {
    const value = updateValue(action.value, original);
    if (!value) throw validation('The provided expression refers to an attribute that does not exist in the item');
    return { path: action.path, value };
  });
  for (const { path, value } of sets) setPath(next, path.parts, structuredClone(value));
  const removes = [...plan.remove].sort((a, b) => Number(b.parts.at(-1)) - Number(a.parts.at(-1)) || 0);
  for (const path of removes) removePath(next, path.parts);
  for (const { path, value: operand } of plan.add) {
    const value = operandValue(operand, original)!;
    const current = resolvePath(original, path.parts);
    const type = typeOf(value);
    if (type === 'N') {
      if (current && current.N === undefined) throw validation('An operand in the update expression has an incorrect data type');
      setPath(next, path.parts, { N: addNumbers((current?.N as string) ?? '0', value.N as string) });
    } else if (SET_TYPES.has(type)) {
      if (current && typeOf(current) !== type) throw validation('An operand in the update expression has an incorrect data type');
      const merged = [...((current?.[type] as string[]) ?? [])];
      for (const element of value[type] as string[]) if (!merged.some((e) => equalValues({ [type[0]!]: e }, { [type[0]!]: element }))) merged.push(element);
      setPath(next, path.parts, { [type]: merged });
    } else
      throw validation(
        `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ${type === 'L' ? 'LIST' : type === 'M' ? 'MAP' : type}`,
      );
  }
  for (const { path, value: operand } of plan.delete) {
    const value = operandValue(operand, original)!;
    const type = typeOf(value);
    if (!SET_TYPES.has(type))
      throw validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: ${type}`);
    const current = resolvePath(original, path.parts);
    if (!current) continue;
    if (typeOf(current) !== type) throw validation('An operand in the update expression has an incorrect data type');
    const remaining = (current[type] as string[]).filter((e) => !(value[type] as string[]).some((d) => equalValues({ [type[0]!]: e }, { [type[0]!]: d })));
    if (remaining.length === 0) removePath(next, path.parts);
    else setPath(next, path.parts, { [type]: remaining });
  }
  return next;
}

/** Only the attributes the projection names (nested paths keep their shape; list elements are compacted). */
export function project(item: Item, paths: readonly Path[]): Item {
  const out: Item = {};
  for (const path of paths) {
    const value = resolvePath(item, path.parts);
    if (!value) continue;
    let target: AttributeValue = { M: out };
    path.parts.forEach((part, i) => {
      const last = i === path.parts.length - 1;
      const container = target.M ? (target.M as Item) : undefined;
      const list = Array.isArray(target.L) ? (target.L as AttributeValue[]) : undefined;
      const nextPart = path.parts[i + 1];
      const fresh = last ? structuredClone(value) : typeof nextPart === 'number' ? { L: [] } : { M: {} };
      if (typeof part === 'string' && container) {
        container[part] ??= fresh;
        target = container[part]!;
      } else if (list) {
        list.push(fresh);
        target = fresh;
      }
    });
  }
  return out;
}

export { valueSize };

// DynamoDB's reserved words (its documentation's list): unescaped in an expression, DynamoDB refuses them.
const RESERVED = new Set(
  (
    'ABORT ABSOLUTE ACTION ADD AFTER AGENT AGGREGATE ALL ALLOCATE ALTER ANALYZE AND ANY ARCHIVE ARE ARRAY AS ASC ' +
    'ASCII ASENSITIVE ASSERTION ASYMMETRIC AT ATOMIC ATTACH ATTRIBUTE AUTH AUTHORIZATION AUTHORIZE AUTO AVG BACK ' +
    'BACKUP BASE BATCH BEFORE BEGIN BETWEEN BIGINT BINARY BIT BLOB BLOCK BOOLEAN BOTH BREADTH BUCKET BULK BY BYTE ' +
    'CALL CALLED CALLING CAPACITY CASCADE CASCADED CASE CAST CATALOG CHAR CHARACTER CHECK CLASS CLOB CLOSE CLUSTER ' +
    'CLUSTERED CLUSTERING CLUSTERS COALESCE COLLATE COLLATION COLLECTION COLUMN COLUMNS COMBINE COMMENT COMMIT ' +
    'COMPACT COMPILE COMPRESS CONDITION CONFLICT CONNECT CONNECTION CONSISTENCY CONSISTENT CONSTRAINT CONSTRAINTS ' +
    'CONSTRUCTOR CONSUMED CONTINUE CONVERT COPY CORRESPONDING COUNT COUNTER CREATE CROSS CUBE CURRENT CURSOR CYCLE ' +
    'DATA DATABASE DATE DATETIME DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED DEFINE DEFINED ' +
    'DEFINITION DELETE DELIMITED DEPTH DEREF DESC DESCRIBE DESCRIPTOR DETACH DETERMINISTIC DIAGNOSTICS DIRECTORIES ' +
    'DISABLE DISCONNECT DISTINCT DISTRIBUTE DO DOMAIN DOUBLE DROP DUMP DURATION DYNAMIC EACH ELEMENT ELSE ELSEIF ' +
    'EMPTY ENABLE END EQUAL EQUALS ERROR ESCAPE ESCAPED EVAL EVALUATE EXCEEDED EXCEPT EXCEPTION EXCEPTIONS ' +
    'EXCLUSIVE EXEC EXECUTE EXISTS EXIT EXPLAIN EXPLODE EXPORT EXPRESSION EXTENDED EXTERNAL EXTRACT FAIL FALSE ' +
    'FAMILY FETCH FIELDS FILE FILTER FILTERING FINAL FINISH FIRST FIXED FLATTERN FLOAT FOR FORCE FOREIGN FORMAT ' +
    'FORWARD FOUND FREE FROM FULL FUNCTION FUNCTIONS GENERAL GENERATE GET GLOB GLOBAL GO GOTO GRANT GREATER GROUP ' +
    'GROUPING HANDLER HASH HAVE HAVING HEAP HIDDEN HOLD HOUR IDENTIFIED IDENTITY IF IGNORE IMMEDIATE IMPORT IN ' +
    'INCLUDING INCLUSIVE INCREMENT INCREMENTAL INDEX INDEXED INDEXES INDICATOR INFINITE INITIALLY INLINE INNER ' +
    'INNTER INOUT INPUT INSENSITIVE INSERT INSTEAD INT INTEGER INTERSECT INTERVAL INTO INVALIDATE IS ISOLATION ITEM ' +
    'ITEMS ITERATE JOIN KEY KEYS LAG LANGUAGE LARGE LAST LATERAL LEAD LEADING LEAVE LEFT LENGTH LESS LEVEL LIKE ' +
    'LIMIT LIMITED LINES LIST LOAD LOCAL LOCALTIME LOCALTIMESTAMP LOCATION LOCATOR LOCK LOCKS LOG LOGED LONG LOOP ' +
    'LOWER MAP MATCH MATERIALIZED MAX MAXLEN MEMBER MERGE METHOD METRICS MIN MINUS MINUTE MISSING MOD MODE MODIFIES ' +
    'MODIFY MODULE MONTH MULTI MULTISET NAME NAMES NATIONAL NATURAL NCHAR NCLOB NEW NEXT NO NONE NOT NULL NULLIF ' +
    'NUMBER NUMERIC OBJECT OF OFFLINE OFFSET OLD ON ONLINE ONLY OPAQUE OPEN OPERATOR OPTION OR ORDER ORDINALITY ' +
    'OTHER OTHERS OUT OUTER OUTPUT OVER OVERLAPS OVERRIDE OWNER PAD PARALLEL PARAMETER PARAMETERS PARTIAL PARTITION ' +
    'PARTITIONED PARTITIONS PATH PERCENT PERCENTILE PERMISSION PERMISSIONS PIPE PIPELINED PLAN POOL POSITION ' +
    'PRECISION PREPARE PRESERVE PRIMARY PRIOR PRIVATE PRIVILEGES PROCEDURE PROCESSED PROJECT PROJECTION PROPERTY ' +
    'PROVISIONING PUBLIC PUT QUERY QUIT QUORUM RAISE RANDOM RANGE RANK RAW READ READS REAL REBUILD RECORD RECURSIVE ' +
    'REDUCE REF REFERENCE REFERENCES REFERENCING REGEXP REGION REINDEX RELATIVE RELEASE REMAINDER RENAME REPEAT ' +
    'REPLACE REQUEST RESET RESIGNAL RESOURCE RESPONSE RESTORE RESTRICT RESULT RETURN RETURNING RETURNS REVERSE ' +
    'REVOKE RIGHT ROLE ROLES ROLLBACK ROLLUP ROUTINE ROW ROWS RULE RULES SAMPLE SATISFIES SAVE SAVEPOINT SCAN ' +
    'SCHEMA SCOPE SCROLL SEARCH SECOND SECTION SEGMENT SEGMENTS SELECT SELF SEMI SENSITIVE SEPARATE SEQUENCE ' +
    'SERIALIZABLE SESSION SET SETS SHARD SHARE SHARED SHORT SHOW SIGNAL SIMILAR SIZE SKEWED SMALLINT SNAPSHOT SOME ' +
    'SOURCE SPACE SPACES SPARSE SPECIFIC SPECIFICTYPE SPLIT SQL SQLCODE SQLERROR SQLEXCEPTION SQLSTATE SQLWARNING ' +
    'START STATE STATIC STATUS STORAGE STORE STORED STREAM STRING STRUCT STYLE SUB SUBMULTISET SUBPARTITION ' +
    'SUBSTRING SUBTYPE SUM SUPER SYMMETRIC SYNONYM SYSTEM TABLE TABLESAMPLE TEMP TEMPORARY TERMINATED TEXT THAN ' +
    'THEN THROUGHPUT TIME TIMESTAMP TIMEZONE TINYINT TO TOKEN TOTAL TOUCH TRAILING TRANSACTION TRANSFORM TRANSLATE ' +
    'TRANSLATION TREAT TRIGGER TRIM TRUE TRUNCATE TTL TUPLE TYPE UNDER UNDO UNION UNIQUE UNIT UNKNOWN UNLOGGED ' +
    'UNNEST UNPROCESSED UNSIGNED UNTIL UPDATE UPPER URL USAGE USE USER USERS USING UUID VACUUM VALUE VALUED VALUES ' +
    'VARCHAR VARIABLE VARIANCE VARINT VARYING VIEW VIEWS VIRTUAL VOID WAIT WHEN WHENEVER WHERE WHILE WINDOW WITH ' +
    'WITHIN WITHOUT WORK WRAPPED WRITE YEAR ZONE '
  ).split(' '),
);
