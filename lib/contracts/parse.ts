import { readInputFile } from '../read-input';
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { DataMeshValidationError, formatProblem, Problem } from '../errors';
import { FieldRule, ODCS_SCHEMAS, OdcsContract, SchemaName, SUPPORTED_API_VERSIONS, ValueKind } from './odcs-schema';
import { childPath, define, didYouMean, hasOwn, isPlainObject, parentPath, suggest } from './util';
import {
  CONTRACT_NONSTANDARD_KEY, CONTRACT_UNKNOWN_KEY, CONTRACT_UNKNOWN_VALUE, CONTRACT_YAML_WARNING, ContractWarning,
} from './warnings';

/** Field name used for problems about the document as a whole. */
const ROOT_FIELD = '(root)';
const YAML_FIELD = '(yaml)';
const MAX_DEPTH = 64;
const MAX_ALIAS_EXPANSIONS = 1000;

interface Located {
  readonly key?: number;
  readonly value?: number;
}

/**
 * Where the fields of a contract are: a file with line and column of every field, or an in-memory object
 * known by a label. Used to prefix problems and warnings.
 */
export class ContractSource {
  /** Field path → offsets of its key and value in the text. */
  private readonly index = new Map<string, Located>();

  constructor(
    /** File name, or label of an in-memory contract. */
    public readonly name: string,
    private readonly lineCounter?: LineCounter,
  ) {}

  /** @internal */
  public record(field: string, at: Located): void {
    this.index.set(field, at);
  }

  /** Whether positions are known (the contract was read from text). */
  public get hasPositions(): boolean {
    return this.lineCounter !== undefined;
  }

  /** Offset of a field (its value, or its key with `atKey`), or of its nearest parent that exists. */
  public offsetOf(field: string, atKey = false): number | undefined {
    if (!this.lineCounter) return undefined;
    for (let path = field; ; path = parentPath(path)) {
      const e = this.index.get(path);
      const offset = e && (atKey && e.key !== undefined ? e.key : e.value ?? e.key);
      if (offset !== undefined) return offset;
      if (path === '') return 0;
    }
  }

  /** `<file>:<line>:<col>` of a field, or the label of an in-memory contract. */
  public locate(field: string, atKey = false): string {
    return this.locateOffset(this.offsetOf(field, atKey));
  }

  /** `<file>:<line>:<col>` of an offset in the text, or the label of an in-memory contract. */
  public locateOffset(offset: number | undefined): string {
    if (offset === undefined || !this.lineCounter) return this.name;
    const { line, col } = this.lineCounter.linePos(offset);
    return `${this.name}:${line}:${col}`;
  }
}

/** A problem positioned in a contract; `atKey` places it on the key rather than the value. */
export interface PositionedProblem extends Problem {
  readonly atKey?: boolean;
  /** Explicit offset (YAML errors). */
  readonly offset?: number;
}

/**
 * Throws one {@link DataMeshValidationError} holding every problem, each prefixed with its position
 * (`<file>:<line>:<col> `) and sorted by position.
 */
export function throwContractProblems(source: ContractSource, problems: readonly PositionedProblem[]): never {
  const shown = (p: Problem): Problem => ({ ...p, field: p.field.replace(/`/g, '\\u0060') });
  const sorted = problems
    .map((p, i) => ({ p, i, offset: p.offset ?? source.offsetOf(p.field, p.atKey) ?? 0 }))
    .sort((a, b) => a.offset - b.offset || a.i - b.i);
  const lines = sorted.map(({ p }) => {
    const at = p.offset !== undefined ? source.locateOffset(p.offset) : source.locate(p.field, p.atKey);
    return `${at} ${formatProblem(shown(p))}`;
  });
  throw new DataMeshValidationError(source.name, lines);
}

/** A contract that passed the structural validation, with where its fields are. */
export class ParsedContract {
  constructor(
    public readonly contract: OdcsContract,
    public readonly source: ContractSource,
    /** Unknown, deprecated and non-standard keys; unusual values. */
    public readonly warnings: readonly ContractWarning[],
  ) {}

  public static isParsedContract(x: unknown): x is ParsedContract {
    return x instanceof ParsedContract;
  }
}

/** Reads a contract file (YAML or JSON) and validates its structure. */
export function loadContract(path: string): ParsedContract {
  const text = readInputFile(path, {
    field: 'contract', what: 'data contract', fix: 'Check the path of the ODCS contract (e.g. contracts/orders.odcs.yaml).',
  });
  return parseContract(text, path);
}

/**
 * Parses the text of an ODCS contract (YAML, or JSON which is YAML too) and validates its structure against
 * {@link ODCS_SCHEMAS}. Every problem is collected and thrown at once as a {@link DataMeshValidationError};
 * each starts with `<fileName>:<line>:<col>`.
 */
export function parseContract(text: string, fileName: string): ParsedContract {
  const lineCounter = new LineCounter();
  const source = new ContractSource(fileName, lineCounter);
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  const v = new Validator(source);
  if (doc.errors.length > 0) {
    // The structure is unreliable after a syntax error: report only those.
    for (const e of doc.errors) v.yamlProblem(text, lineCounter, e.pos[0], 'has a YAML syntax error', e.message);
    return throwContractProblems(source, v.problems);
  }
  for (const w of doc.warnings) {
    v.warnings.push({ id: CONTRACT_YAML_WARNING, message: `${source.locateOffset(w.pos[0])} ${w.message.split('\n')[0]}` });
  }
  const plain = new YamlReader(doc, source, v).root();
  return v.finish(plain);
}

/**
 * Validates an in-memory contract (e.g. built by code, or read with another parser). Problems and warnings
 * are prefixed with `label` instead of a position. `undefined` values count as absent keys.
 */
export function contractFromObject(obj: unknown, label: string): ParsedContract {
  const source = new ContractSource(label);
  const v = new Validator(source);
  return v.finish(copyPlain(obj, '', v, new Set(), 0));
}

/** A deep copy of plain data (drops `undefined`), refusing cycles and non-data values. */
function copyPlain(value: unknown, path: string, v: Validator, ancestors: Set<unknown>, depth: number): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth > MAX_DEPTH || ancestors.has(value)) {
    v.problem(path || ROOT_FIELD, 'must be plain data without cycles', '...', 'Remove the circular reference.');
    return null;
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((x, i) => copyPlain(x, `${path}[${i}]`, v, ancestors, depth + 1));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(value)) {
        if (x !== undefined) define(out, k, copyPlain(x, childPath(path, k), v, ancestors, depth + 1));
      }
      return out;
    }
  } finally {
    ancestors.delete(value);
  }
  v.problem(path || ROOT_FIELD, 'must be plain data (text, numbers, booleans, lists and maps)', String(value), 'Convert the value to plain data.');
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// YAML document → plain values, recording the position of every field.

class YamlReader {
  private aliasExpansions = 0;
  private readonly ancestors = new Set<unknown>();

  constructor(private readonly doc: Document, private readonly source: ContractSource, private readonly v: Validator) {}

  public root(): unknown {
    this.source.record('', { value: rangeStart(this.doc.contents) });
    return this.convert(this.doc.contents, '', 0);
  }

  private convert(node: unknown, path: string, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (depth > MAX_DEPTH) {
      this.v.problem(path, `must not nest deeper than ${MAX_DEPTH} levels`, '...', 'Flatten the document.');
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target || this.ancestors.has(target)) {
        this.v.problem(path, 'must refer to an anchor defined earlier, outside itself', `*${node.source}`, 'Write the value out instead of using the alias.');
        return null;
      }
      if (++this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
        if (this.aliasExpansions === MAX_ALIAS_EXPANSIONS + 1) {
          this.v.problem(path, `must not expand more than ${MAX_ALIAS_EXPANSIONS} YAML aliases`, `*${node.source}`, 'Write the values out.');
        }
        return null;
      }
      return this.convert(target, path, depth + 1);
    }
    if (isScalar(node)) return node.value;
    this.ancestors.add(node);
    try {
      if (isSeq(node)) {
        return node.items.map((item, i) => {
          const p = `${path}[${i}]`;
          this.source.record(p, { value: rangeStart(item) });
          return this.convert(item, p, depth + 1);
        });
      }
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        const first = new Map<string, number | undefined>();
        for (const pair of node.items) {
          const keyStart = rangeStart(pair.key);
          if (!isScalar(pair.key)) {
            this.v.problem(path, 'must use plain text keys', String(pair.key), 'Replace the complex key with a plain name.', { offset: keyStart });
            continue;
          }
          const key = String(pair.key.value);
          const p = childPath(path, key);
          if (first.has(key)) {
            this.v.problem(p, 'must appear only once in its map', key, 'Remove or merge the repeated key.', { offset: keyStart });
            continue;
          }
          first.set(key, keyStart);
          this.source.record(p, { key: keyStart, value: rangeStart(pair.value) });
          define(out, key, this.convert(pair.value, p, depth + 1));
        }
        return out;
      }
      return null;
    } finally {
      this.ancestors.delete(node);
    }
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: readonly number[] | null } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Structure: keys, types, enumerations, required keys.

class Validator {
  public readonly problems: PositionedProblem[] = [];
  public readonly warnings: ContractWarning[] = [];

  /** apiVersion of the contract, once known. */
  private apiVersion?: string;

  constructor(private readonly source: ContractSource) {}

  public problem(field: string, rule: string, got: unknown, fix: string, more: { atKey?: boolean; offset?: number } = {}): void {
    this.problems.push({ field: field === '' ? ROOT_FIELD : field, rule, got, fix, ...more });
  }

  public warn(id: string, field: string, message: string, atKey = false): void {
    this.warnings.push({ id, message: `${this.source.locate(field, atKey)} \`${field}\` ${message}` });
  }

  public yamlProblem(text: string, lc: LineCounter, offset: number, rule: string, message: string): void {
    const what = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const { line } = lc.linePos(offset);
    const start = lc.lineStarts[line - 1] ?? 0;
    const end = text.indexOf('\n', start);
    this.problem(YAML_FIELD, `${rule}: ${what}`, text.slice(start, end < 0 ? undefined : end).trim(),
      'Fix the YAML at this position (indentation, quotes, brackets, colons).', { offset });
  }

  public finish(plain: unknown): ParsedContract {
    if (!isPlainObject(plain)) {
      this.problem(ROOT_FIELD, 'must be a map holding an ODCS data contract (apiVersion, kind, id, version, status, schema, ...)',
        plain ?? undefined, 'Start the document with "apiVersion: v3.1.0" and "kind: DataContract".');
    } else {
      this.checkApiVersion(plain);
      this.apiVersion = typeof plain.apiVersion === 'string' ? plain.apiVersion : undefined;
      this.checkObject(plain, 'contract', '');
    }
    if (this.problems.length > 0) return throwContractProblems(this.source, this.problems);
    return new ParsedContract(plain as unknown as OdcsContract, this.source, this.warnings);
  }

  /** ODCS v2 documents are recognized and refused with a specific message. */
  private checkApiVersion(root: Record<string, unknown>): void {
    const version = root.apiVersion ?? root.standardVersion;
    if (typeof version === 'string' && /^v?2\./.test(version)) {
      this.problem(hasOwn(root, 'apiVersion') ? 'apiVersion' : 'standardVersion', `must be an ODCS v3 release (${SUPPORTED_API_VERSIONS.join(', ')})`, version,
        'ODCS v2 (dataset, columns) is not supported: convert the contract to v3 (schema, properties), e.g. with the ODCS upgrade tooling.');
    }
  }

  private checkObject(value: Record<string, unknown>, schemaName: SchemaName, path: string): void {
    const schema = ODCS_SCHEMAS[schemaName];
    const allowed = Object.keys(schema.fields);
    for (const key of Object.keys(value)) {
      const field = childPath(path, key);
      if (!hasOwn(schema.fields, key)) {
        if (schema.unknownKeys === 'error') {
          if (schemaName === 'contract' && (key === 'standardVersion' || key === 'dataset')) continue; // reported by checkApiVersion
          this.problem(field, `is not a key of ${schema.noun} in ODCS v3.1.0 (allowed: ${allowed.join(', ')})`, key,
            didYouMean(key, allowed, 'Remove it, correct its name, or move it under customProperties.'), { atKey: true });
        } else {
          const s = suggest(key, allowed);
          this.warn(CONTRACT_UNKNOWN_KEY, field, `is not a key of ${schema.noun} known to the toolkit and is ignored. `
            + (s ? `Did you mean "${s}"?` : 'Move extensions under customProperties.'), true);
        }
        continue;
      }
      const rule = schema.fields[key];
      if (value[key] === null && !rule.required) continue; // ODCS examples write `key: null` for "not set"
      if (rule.caution && (!rule.deprecatedSince || this.apiVersion === undefined || compareVersions(this.apiVersion, rule.deprecatedSince) >= 0)) {
        this.warn(CONTRACT_NONSTANDARD_KEY, field, rule.caution, true);
      }
      this.checkValue(value[key], rule, field);
    }
    for (const [key, rule] of Object.entries(schema.fields)) {
      const nullable = rule.kind === 'any' || rule.kind === 'scalar'; // ODCS allows `value: null` in custom and SLA properties
      if (rule.required && (!hasOwn(value, key) || (value[key] === null && !nullable))) {
        this.problem(childPath(path, key), `is required in ${schema.noun}`, hasOwn(value, key) ? null : undefined,
          rule.example ? `Add it, e.g. ${rule.example}.` : 'Add it.');
      }
    }
  }

  private checkValue(v: unknown, rule: FieldRule, field: string): void {
    const kind: ValueKind = rule.kind;
    switch (kind) {
      case 'string':
        if (typeof v !== 'string') return this.wrongType(field, 'a string', v, stringFix(v, rule));
        if (rule.values) this.checkEnum(v, rule, field);
        return;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) return this.wrongType(field, 'a number', v, numberFix(v, rule));
        return;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) return this.wrongType(field, 'an integer', v, numberFix(v, rule));
        return;
      case 'boolean':
        if (typeof v !== 'boolean') {
          return this.wrongType(field, 'true or false', v, typeof v === 'string' && /^(true|false)$/i.test(v)
            ? 'Write true or false without quotes.' : `Write true or false${rule.example ? `, e.g. ${rule.example}` : ''}.`);
        }
        return;
      case 'scalar':
        if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          return this.wrongType(field, 'a single value (text, number or boolean)', v, 'Write one value, not a list or a map.');
        }
        return;
      case 'any':
        return;
      case 'map':
        if (!isPlainObject(v)) return this.wrongType(field, 'a map of key: value pairs', v, rule.example ? `Write e.g. ${rule.example}.` : 'Write key: value pairs.');
        return;
      case 'list':
        if (!Array.isArray(v)) return this.wrongType(field, 'a list', v, 'Write a YAML list.');
        return;
      case 'string[]':
        if (!Array.isArray(v)) return this.wrongType(field, 'a list of strings', v, rule.example ? `Write e.g. ${rule.example}.` : 'Write a YAML list.');
        v.forEach((x, i) => {
          if (typeof x !== 'string') this.wrongType(`${field}[${i}]`, 'a string', x, stringFix(x, rule));
        });
        return;
      case 'range':
        if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
          return this.wrongType(field, 'a list of two numbers, smallest first', v, rule.example ? `Write e.g. ${rule.example}.` : 'Write [low, high].');
        }
        if (v[0] >= v[1]) this.problem(field, 'must list the smaller number first (two different numbers)', v, `Write [${v[1]}, ${v[0]}].`);
        return;
      case 'stringOrMap':
        if (typeof v !== 'string' && !isPlainObject(v)) return this.wrongType(field, 'a text or a map', v, rule.example ? `Write e.g. ${rule.example}.` : 'Write a text block.');
        return;
      case 'team':
        if (Array.isArray(v)) return this.checkList(v, 'teamMember', field);
        if (isPlainObject(v)) return this.checkObject(v, 'team', field);
        return this.wrongType(field, 'a map with members (ODCS v3.1.0) or a list of members (v3.0.x)', v, `Write e.g. ${rule.example}.`);
      default: {
        const [shape, schemaName] = kind.split(':') as ['object' | 'list', SchemaName];
        if (shape === 'list') {
          if (!Array.isArray(v)) return this.wrongType(field, `a list of ${ODCS_SCHEMAS[schemaName].noun.replace(/^an? /, '')} maps`, v, rule.example ? `Write e.g. ${rule.example}.` : 'Write a YAML list.');
          return this.checkList(v, schemaName, field);
        }
        if (!isPlainObject(v)) return this.wrongType(field, 'a map of key: value pairs', v, rule.example ? `Write e.g. ${rule.example}.` : 'Write key: value pairs.');
        return this.checkObject(v, schemaName, field);
      }
    }
  }

  private checkList(v: readonly unknown[], schemaName: SchemaName, field: string): void {
    v.forEach((item, i) => {
      const p = `${field}[${i}]`;
      if (isPlainObject(item)) this.checkObject(item, schemaName, p);
      else this.wrongType(p, `a map (${ODCS_SCHEMAS[schemaName].noun})`, item, 'Write the item as key: value pairs.');
    });
  }

  private checkEnum(v: string, rule: FieldRule, field: string): void {
    const values = rule.values ?? [];
    if (values.includes(v)) return;
    if (rule.strict === false) {
      this.warn(CONTRACT_UNKNOWN_VALUE, field, `is ${JSON.stringify(v)}, not one of the values ODCS lists (${values.join(', ')}). `
        + didYouMean(v, values, 'Check the value.'));
      return;
    }
    this.problem(field, `must be one of ${values.join(', ')}`, v, didYouMean(v, values, 'Use one of the allowed values.'));
  }

  private wrongType(field: string, expected: string, got: unknown, fix: string): void {
    this.problem(field, `must be ${expected}`, got, fix);
  }
}

/** Compares `v3.1.0`-style versions. */
function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Number.isNaN(d) ? 0 : d;
  }
  return 0;
}

function stringFix(v: unknown, rule: FieldRule): string {
  if (typeof v === 'number' || typeof v === 'boolean') return `Quote the value in YAML, e.g. "${String(v)}".`;
  return rule.example ? `Write it as text, e.g. ${rule.example}.` : 'Write it as text.';
}

function numberFix(v: unknown, rule: FieldRule): string {
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return 'Remove the quotes around the number.';
  return rule.example ? `Write a number, e.g. ${rule.example}.` : 'Write a number.';
}

