/**
 * A small reader and writer for the part of AWS Glue Data Quality's DQDL that the contract importer generates
 * or accepts in custom rules. It is a validator, not the Glue parser: it accepts the rule forms below and
 * refuses anything else, so that a ruleset that reaches Glue is one we understand.
 *
 * Rule types (parameters are quoted column names unless noted):
 *
 * | Rule type             | Parameters        | Condition                               | `with threshold` |
 * |-----------------------|-------------------|-----------------------------------------|------------------|
 * | `RowCount`            | none              | numeric, required                       | no               |
 * | `Completeness`        | 1 column          | numeric 0-1, required                   | no               |
 * | `IsComplete`          | 1 column          | none                                    | no               |
 * | `IsUnique`            | 1 column          | none                                    | no               |
 * | `Uniqueness`          | 1+ columns        | numeric 0-1, required                   | no               |
 * | `UniqueValueRatio`    | 1 column          | numeric 0-1, required                   | no               |
 * | `IsPrimaryKey`        | 1+ columns        | none                                    | no               |
 * | `ColumnExists`        | 1 column          | none                                    | no               |
 * | `ColumnValues`        | 1 column          | any, required                           | yes              |
 * | `ColumnLength`        | 1 column          | numeric, required                       | yes              |
 * | `Mean`, `Sum`, `StandardDeviation`, `DistinctValuesCount` | 1 column | numeric, required  | no               |
 * | `CustomSql`           | 1 SQL statement   | numeric, required                       | yes              |
 *
 * Conditions: `= v`, `!= v`, `> n`, `>= n`, `< n`, `<= n`, `[not] between a and b` (exclusive bounds, as in
 * Glue), `[not] in [v, ...]`, `[not] matches "regex"`. Values: numbers, quoted strings, `NULL`, `EMPTY`,
 * `WHITESPACES_ONLY`, `now()` and `(now() - 3 days)`. After the condition: an optional `where "<SQL filter>"`,
 * then an optional `with threshold <numeric condition on 0-1>`.
 *
 * Composite rules: `(rule) and (rule) ...` or `(rule) or (rule) ...`; every operand in parentheses, `and` and
 * `or` not mixed without parentheses. A ruleset is `Rules = [ rule, rule ]`; the bare comma-separated list
 * is accepted too. Comments (`//`, `/* *\/`) are skipped.
 *
 * Strings: a backslash escapes `"` and `\`; any other backslash is kept as written (so regular expressions
 * such as `"^\d+$"` need no doubling).
 */

export type DqdlComparison = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type DqdlValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'keyword'; readonly value: 'NULL' | 'EMPTY' | 'WHITESPACES_ONLY' }
  | { readonly kind: 'date'; readonly text: string };

export type DqdlCondition =
  | { readonly op: DqdlComparison; readonly value: DqdlValue }
  | { readonly op: 'between' | 'not between'; readonly low: DqdlValue; readonly high: DqdlValue }
  | { readonly op: 'in' | 'not in'; readonly values: readonly DqdlValue[] }
  | { readonly op: 'matches' | 'not matches'; readonly pattern: string };

export interface DqdlRule {
  readonly kind: 'rule';
  readonly type: string;
  /** Column names, or the SQL of `CustomSql`. */
  readonly params: readonly string[];
  readonly condition?: DqdlCondition;
  readonly where?: string;
  readonly threshold?: DqdlCondition;
  /** The rule as written. */
  readonly text: string;
}

export interface DqdlComposite {
  readonly kind: 'and' | 'or';
  readonly operands: readonly DqdlExpression[];
  readonly text: string;
}

export type DqdlExpression = DqdlRule | DqdlComposite;

interface RuleTypeSpec {
  /** Minimum and maximum number of column parameters. */
  readonly columns: readonly [number, number];
  /** Takes one SQL statement instead of columns. */
  readonly sql?: boolean;
  readonly condition: 'none' | 'number' | 'ratio' | 'values';
  readonly threshold?: boolean;
}

const ONE_NUMERIC: RuleTypeSpec = { columns: [1, 1], condition: 'number' };

/** The rule types the validator accepts, with their parameters and conditions. */
export const DQDL_RULE_TYPES: Readonly<Record<string, RuleTypeSpec>> = {
  RowCount: { columns: [0, 0], condition: 'number' },
  Completeness: { columns: [1, 1], condition: 'ratio' },
  IsComplete: { columns: [1, 1], condition: 'none' },
  IsUnique: { columns: [1, 1], condition: 'none' },
  Uniqueness: { columns: [1, Infinity], condition: 'ratio' },
  UniqueValueRatio: { columns: [1, 1], condition: 'ratio' },
  IsPrimaryKey: { columns: [1, Infinity], condition: 'none' },
  ColumnExists: { columns: [1, 1], condition: 'none' },
  ColumnValues: { columns: [1, 1], condition: 'values', threshold: true },
  ColumnLength: { columns: [1, 1], condition: 'number', threshold: true },
  Mean: ONE_NUMERIC,
  Sum: ONE_NUMERIC,
  StandardDeviation: ONE_NUMERIC,
  DistinctValuesCount: ONE_NUMERIC,
  CustomSql: { columns: [0, 0], sql: true, condition: 'number', threshold: true },
};

export interface DqdlParseOptions {
  /** Columns of the table; rules naming another column are refused. @default - not checked */
  readonly columns?: readonly string[];
}

export interface DqdlParseResult {
  /** Top-level rules (empty when there is a problem). */
  readonly rules: readonly DqdlExpression[];
  /** What is wrong, one sentence each (the parser stops at the first problem). */
  readonly problems: readonly string[];
}

/** Parses and validates a ruleset (`Rules = [ ... ]`) or a comma-separated list of rules. */
export function parseDqdl(text: string, options: DqdlParseOptions = {}): DqdlParseResult {
  const section = /^\s*(Metadata|DataSources|Analyzers)\b/.exec(text);
  if (section) return { rules: [], problems: [`the ${section[1]} section is not supported; write only rules at ${snippet(text, section.index + section[0].length - section[1].length)}`] };
  try {
    const p = new Parser(text, options);
    return { rules: p.document(), problems: [] };
  } catch (e) {
    if (e instanceof DqdlError) return { rules: [], problems: [e.message] };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** A DQDL string literal (see the module comment for escapes). */
export function dqdlString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') out += '\\"';
    else if (c === '\\' && (i + 1 === s.length || s[i + 1] === '"' || s[i + 1] === '\\')) out += '\\\\';
    else out += c;
  }
  return `"${out}"`;
}

/** A DQDL number: plain decimal notation (DQDL has no exponents), without binary noise (0.1 + 0.2 → 0.3). */
export function dqdlNumber(n: number): string {
  const r = Number(n.toPrecision(12));
  let s = String(r);
  if (/e/i.test(s)) s = Math.abs(r) >= 1 ? BigInt(Math.round(r)).toString() : r.toFixed(20).replace(/\.?0+$/, '');
  return s;
}

export function renderValue(v: DqdlValue): string {
  switch (v.kind) {
    case 'number': return dqdlNumber(v.value);
    case 'string': return dqdlString(v.value);
    case 'keyword': return v.value;
    case 'date': return v.text;
  }
}

/** The values a condition compares with (none for `matches`). */
export function conditionValues(c: DqdlCondition): readonly DqdlValue[] {
  switch (c.op) {
    case 'matches':
    case 'not matches':
      return [];
    case 'between':
    case 'not between':
      return [c.low, c.high];
    case 'in':
    case 'not in':
      return c.values;
    default:
      return [c.value];
  }
}

export function renderCondition(c: DqdlCondition): string {
  switch (c.op) {
    case 'between':
    case 'not between':
      return `${c.op} ${renderValue(c.low)} and ${renderValue(c.high)}`;
    case 'in':
    case 'not in':
      return `${c.op} [${c.values.map(renderValue).join(', ')}]`;
    case 'matches':
    case 'not matches':
      return `${c.op} ${dqdlString(c.pattern)}`;
    default:
      return `${c.op} ${renderValue(c.value)}`;
  }
}

/** Canonical text of a rule built in code (`text` is ignored). */
export function renderRule(r: Omit<DqdlRule, 'kind' | 'text'>): string {
  const parts = [r.type, ...r.params.map(dqdlString)];
  if (r.condition) parts.push(renderCondition(r.condition));
  if (r.where !== undefined) parts.push(`where ${dqdlString(r.where)}`);
  if (r.threshold) parts.push(`with threshold ${renderCondition(r.threshold)}`);
  return parts.join(' ');
}

/** `Rules = [ ... ]` with one rule per line. */
export function renderRuleset(rules: readonly string[]): string {
  if (rules.length === 0) return 'Rules = [ ]';
  return `Rules = [\n${rules.map((r) => `    ${r}`).join(',\n')}\n]`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

class DqdlError extends Error {}

type TokenType = 'ident' | 'string' | 'number' | 'op' | 'punct' | 'eof';
interface Token {
  readonly type: TokenType;
  readonly text: string;
  /** Unescaped string content, or the number. */
  readonly value?: string | number;
  readonly start: number;
  readonly end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (at: number, what: string): never => {
    throw new DqdlError(`${what} at ${snippet(text, at)}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) fail(i, 'unterminated comment');
      i = close + 2;
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) fail(i, 'unterminated string');
        const d = text[j];
        if (d === '"') break;
        if (d === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) {
          value += text[j + 1];
          j += 2;
        } else {
          value += d;
          j++;
        }
      }
      tokens.push({ type: 'string', text: text.slice(i, j + 1), value, start: i, end: j + 1 });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?/.exec(text.slice(i))!;
      tokens.push({ type: 'number', text: m[0], value: Number(m[0]), start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ type: 'ident', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else {
      const op = ['!=', '>=', '<=', '=', '>', '<', '+', '-'].find((o) => text.startsWith(o, i));
      if (op) {
        tokens.push({ type: 'op', text: op, start: i, end: i + op.length });
        i += op.length;
      } else if ('[](),'.includes(c)) {
        tokens.push({ type: 'punct', text: c, start: i, end: i + 1 });
        i++;
      } else {
        fail(i, `unexpected character ${JSON.stringify(c)}`);
      }
    }
  }
  tokens.push({ type: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

function snippet(text: string, at: number): string {
  if (at >= text.length) return 'the end';
  const s = text.slice(at, at + 30).replace(/\s+/g, ' ');
  return `"${s}${at + 30 < text.length ? '...' : ''}"`;
}

const KEYWORDS = ['NULL', 'EMPTY', 'WHITESPACES_ONLY'] as const;
const DURATION_UNITS = ['days', 'hours', 'minutes'];

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private readonly columns?: ReadonlySet<string>;

  constructor(private readonly text: string, options: DqdlParseOptions) {
    this.tokens = tokenize(text);
    this.columns = options.columns ? new Set(options.columns.map((c) => c.toLowerCase())) : undefined;
  }

  public document(): DqdlExpression[] {
    const rules: DqdlExpression[] = [];
    const wrapped = this.peek.type === 'ident' && this.peek.text === 'Rules';
    if (wrapped) {
      this.next();
      this.expect('op', '=');
      this.expect('punct', '[');
      if (!this.at('punct', ']')) rules.push(...this.list());
      this.expect('punct', ']');
    } else if (this.peek.type !== 'eof') {
      rules.push(...this.list());
    }
    if (this.peek.type !== 'eof') this.fail(wrapped ? 'expected the end of the ruleset' : 'expected "," between rules');
    if (rules.length === 0) this.fail('expected at least one rule');
    return rules;
  }

  private list(): DqdlExpression[] {
    const out = [this.expression()];
    while (this.at('punct', ',')) {
      this.next();
      out.push(this.expression());
    }
    return out;
  }

  private expression(): DqdlExpression {
    const start = this.peek.start;
    if (!this.at('punct', '(')) {
      const rule = this.rule();
      if (this.atWord('and') || this.atWord('or')) this.fail('wrap each rule joined by and/or in parentheses, e.g. (IsComplete "a") and (IsUnique "a")');
      return rule;
    }
    const first = this.group();
    let op: 'and' | 'or' | undefined;
    const operands = [first];
    while (this.atWord('and') || this.atWord('or')) {
      const word = this.next().text.toLowerCase() as 'and' | 'or';
      if (op && word !== op) this.fail('do not mix and with or without parentheses');
      op = word;
      if (!this.at('punct', '(')) this.fail('wrap each rule joined by and/or in parentheses');
      operands.push(this.group());
    }
    if (!op) return first;
    return { kind: op, operands, text: this.text.slice(start, this.tokens[this.i - 1].end).trim() };
  }

  private group(): DqdlExpression {
    this.expect('punct', '(');
    const e = this.expression();
    this.expect('punct', ')');
    return e;
  }

  private rule(): DqdlRule {
    const typeToken = this.peek;
    if (typeToken.type !== 'ident') this.fail('expected a rule type such as RowCount or ColumnValues');
    const spec = DQDL_RULE_TYPES[typeToken.text];
    if (!spec) {
      const types = Object.keys(DQDL_RULE_TYPES);
      const near = types.find((t) => t.toLowerCase() === typeToken.text.toLowerCase());
      this.fail(`unsupported rule type "${typeToken.text}"${near ? ` (did you mean "${near}"? rule types are case-sensitive)` : ''}; supported: ${types.join(', ')}`);
    }
    this.next();
    const params: string[] = [];
    while (this.peek.type === 'string') params.push(this.next().value as string);
    this.checkParams(typeToken, spec, params);
    let condition: DqdlCondition | undefined;
    if (this.atConditionStart()) condition = this.condition();
    let where: string | undefined;
    if (this.atWord('where')) {
      this.next();
      const filter = this.next();
      if (filter.type !== 'string') this.failAt(filter, 'expected a quoted SQL filter after where');
      where = filter.value as string;
    }
    let threshold: DqdlCondition | undefined;
    if (this.atWord('with')) {
      const at = this.next();
      if (!this.atWord('threshold')) this.fail('expected "threshold" after "with"');
      this.next();
      if (!spec.threshold) this.failAt(at, `${typeToken.text} does not take "with threshold"`);
      threshold = this.condition();
      this.checkNumeric(threshold, 'ratio', 'the threshold');
    }
    const rule: DqdlRule = {
      kind: 'rule', type: typeToken.text, params, condition, where, threshold,
      text: this.text.slice(typeToken.start, this.tokens[this.i - 1].end).trim(),
    };
    this.checkCondition(typeToken, spec, condition);
    return rule;
  }

  private checkParams(typeToken: Token, spec: RuleTypeSpec, params: readonly string[]): void {
    const type = typeToken.text;
    if (spec.sql) {
      if (params.length !== 1) this.failAt(typeToken, `${type} takes one quoted SQL statement, got ${params.length}`);
      if (params[0].trim() === '') this.failAt(typeToken, `${type} needs a SQL statement`);
      return;
    }
    const [min, max] = spec.columns;
    if (params.length < min || params.length > max) {
      const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min}-${max}`;
      this.failAt(typeToken, `${type} takes ${wanted} quoted column name${min === 1 && max === 1 ? '' : 's'}, got ${params.length}`);
    }
    if (this.columns) {
      for (const p of params) {
        if (!this.columns.has(p.toLowerCase())) {
          this.failAt(typeToken, `${type} names column "${p}", which is not a column of the table (${[...this.columns].join(', ')})`);
        }
      }
    }
  }

  private checkCondition(typeToken: Token, spec: RuleTypeSpec, c: DqdlCondition | undefined): void {
    const type = typeToken.text;
    if (spec.condition === 'none') {
      if (c) this.failAt(typeToken, `${type} takes no condition`);
      return;
    }
    if (!c) this.failAt(typeToken, `${type} needs a condition such as "> 0" or "between 1 and 10"`);
    if (spec.condition === 'number' || spec.condition === 'ratio') this.checkNumeric(c!, spec.condition, `the condition of ${type}`, typeToken);
  }

  private checkNumeric(c: DqdlCondition, kind: 'number' | 'ratio', what: string, at?: Token): void {
    const values = conditionValues(c);
    const fail = (msg: string): never => (at ? this.failAt(at, msg) : this.fail(msg));
    if (c.op === 'matches' || c.op === 'not matches') fail(`${what} must compare numbers, not match a pattern`);
    for (const v of values) {
      if (v.kind !== 'number') fail(`${what} must compare numbers, got ${renderValue(v)}`);
      if (kind === 'ratio' && v.kind === 'number' && (v.value < 0 || v.value > 1)) fail(`${what} must use ratios between 0 and 1, got ${renderValue(v)}`);
    }
  }

  private atConditionStart(): boolean {
    const t = this.peek;
    if (t.type === 'op' && ['=', '!=', '>', '>=', '<', '<='].includes(t.text)) return true;
    return this.atWord('between') || this.atWord('not') || this.atWord('in') || this.atWord('matches');
  }

  private condition(): DqdlCondition {
    const t = this.peek;
    if (t.type === 'op' && ['=', '!=', '>', '>=', '<', '<='].includes(t.text)) {
      this.next();
      return { op: t.text as DqdlComparison, value: this.value() };
    }
    const negated = this.atWord('not');
    if (negated) this.next();
    if (this.atWord('between')) {
      this.next();
      const low = this.value();
      if (!this.atWord('and')) this.fail('expected "and" in "between a and b"');
      this.next();
      const high = this.value();
      if (low.kind === 'number' && high.kind === 'number' && low.value >= high.value) this.fail('between needs the smaller bound first');
      return { op: negated ? 'not between' : 'between', low, high };
    }
    if (this.atWord('in')) {
      this.next();
      this.expect('punct', '[');
      const values = [this.value()];
      while (this.at('punct', ',')) {
        this.next();
        values.push(this.value());
      }
      this.expect('punct', ']');
      return { op: negated ? 'not in' : 'in', values };
    }
    if (this.atWord('matches')) {
      this.next();
      if (this.peek.type !== 'string') this.fail('expected a quoted regular expression after matches');
      const pattern = this.next().value as string;
      try {
        new RegExp(pattern);
      } catch {
        this.fail(`invalid regular expression ${dqdlString(pattern)}`);
      }
      return { op: negated ? 'not matches' : 'matches', pattern };
    }
    return this.fail(negated ? 'expected between, in or matches after not' : 'expected a condition');
  }

  private value(): DqdlValue {
    const t = this.peek;
    if (t.type === 'number') {
      this.next();
      return { kind: 'number', value: t.value as number };
    }
    if (t.type === 'op' && t.text === '-' && this.tokens[this.i + 1].type === 'number') {
      this.next();
      return { kind: 'number', value: -(this.next().value as number) };
    }
    if (t.type === 'string') {
      this.next();
      return { kind: 'string', value: t.value as string };
    }
    if (t.type === 'ident' && (KEYWORDS as readonly string[]).includes(t.text)) {
      this.next();
      return { kind: 'keyword', value: t.text as typeof KEYWORDS[number] };
    }
    if (t.type === 'ident' && t.text === 'now') {
      this.now();
      return { kind: 'date', text: 'now()' };
    }
    if (this.at('punct', '(') && this.tokens[this.i + 1].text === 'now') {
      const start = t.start;
      this.next();
      this.now();
      const op = this.peek;
      if (op.type !== 'op' || (op.text !== '+' && op.text !== '-')) this.fail('expected + or - after now()');
      this.next();
      const amount = this.next();
      if (amount.type !== 'number' || !Number.isInteger(amount.value)) this.failAt(amount, 'expected a whole number of days, hours or minutes');
      const unit = this.next();
      if (unit.type !== 'ident' || !DURATION_UNITS.includes(unit.text)) this.failAt(unit, `expected a unit (${DURATION_UNITS.join(', ')})`);
      this.expect('punct', ')');
      return { kind: 'date', text: this.text.slice(start, this.tokens[this.i - 1].end).replace(/\s+/g, ' ') };
    }
    return this.fail('expected a value (number, "string", NULL, EMPTY, WHITESPACES_ONLY or a date expression)');
  }

  private now(): void {
    this.next();
    this.expect('punct', '(');
    this.expect('punct', ')');
  }

  private get peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private at(type: TokenType, text: string): boolean {
    return this.peek.type === type && this.peek.text === text;
  }

  private atWord(word: string): boolean {
    return this.peek.type === 'ident' && this.peek.text.toLowerCase() === word;
  }

  private expect(type: TokenType, text: string): void {
    if (!this.at(type, text)) this.fail(`expected "${text}"`);
    this.next();
  }

  private fail(message: string): never {
    return this.failAt(this.peek, message);
  }

  private failAt(t: Token, message: string): never {
    throw new DqdlError(`${message} at ${snippet(this.text, t.start)}`);
  }
}
