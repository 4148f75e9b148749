/**
 * A focused IAM policy evaluator for the runtime paths: statements as synthesized templates declare them, evaluated
 * against one request. It answers `allow`, `deny` (explicit), `implicit` (no statement applies) or `unknown` with the
 * reason: any policy form it does not understand (an unknown condition operator or context key, an unresolved
 * intrinsic, `NotPrincipal`, policy variables...) makes the answer `unknown`, never a guess.
 *
 * Evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * Condition operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * Multivalued keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { isOpaque } from '../assembly';

/** A policy statement after intrinsic resolution (plain JSON). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: unknown;
}

/** A policy document with where it comes from. */
export interface SourcedPolicy {
  /** What to call the policy in a message, e.g. `key policy of governance/GovernanceAuditKey`. */
  readonly label: string;
  readonly statements: readonly PolicyStatement[];
}

/** Who makes a request. */
export type RequestPrincipal =
  | { readonly kind: 'aws'; readonly arn: string; readonly account: string }
  | { readonly kind: 'service'; readonly service: string };

/** A context value: one string, or several for a multivalued key. */
export type ContextValue = string | readonly string[];

export interface IamRequest {
  readonly principal: RequestPrincipal;
  /** `service:Action`. */
  readonly action: string;
  /** ARN of the resource (`*` for actions without resource-level permissions). */
  readonly resource: string;
  /**
   * The request context. Keys listed in {@link KNOWN_CONTEXT_KEYS} (or with a known prefix) that are absent here are
   * absent from the request; a condition on any other key makes the statement `unknown`.
   */
  readonly context: Readonly<Record<string, ContextValue>>;
}

/** Context keys the paths model; a condition on another key cannot be evaluated. Lowercase. */
export const KNOWN_CONTEXT_KEYS: readonly string[] = [
  'aws:principalarn', 'aws:principalaccount', 'aws:sourceaccount', 'aws:sourcearn', 'aws:securetransport',
  'kms:resourcealiases', 'kms:viaservice', 'kms:calleraccount', 's3:prefix', 's3:x-amz-acl', 'iam:passedtoservice', 'cloudwatch:namespace',
];
/** Context key prefixes the paths model (lowercase). */
export const KNOWN_CONTEXT_KEY_PREFIXES: readonly string[] = ['kms:encryptioncontext:'];

/** Thrown inside the evaluator when a policy form is not understood; becomes an `unknown` answer. */
export class CannotEvaluate extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CannotEvaluate';
  }
}

/** How a statement's principal matched (resource policies only). */
export type PrincipalMatch =
  /** The statement names the caller (its ARN), the service, or `*`. */
  | 'direct'
  /** The statement names the caller's account (account ID or `:root`): delegation to the account's IAM policies. */
  | 'account';

export interface MatchedStatement {
  readonly policy: string;
  readonly sid?: string;
  readonly index: number;
  readonly principalMatch?: PrincipalMatch;
}

export type Decision = 'allow' | 'deny' | 'implicit' | 'unknown';

export interface PolicyDecision {
  readonly decision: Decision;
  /** Allow statements that apply. */
  readonly allows: readonly MatchedStatement[];
  /** Deny statements that apply. */
  readonly denies: readonly MatchedStatement[];
  /** Why the decision is `unknown`. */
  readonly reason?: string;
}

type Tri = true | false | 'unknown';

/**
 * Evaluates policies against a request. `resourcePolicy: true` checks `Principal` (resource policies and trust
 * policies); identity policies must not have one. Explicit deny wins; then any allow; a statement that cannot be
 * evaluated makes the result `unknown` unless an applicable explicit deny decides it.
 */
export function evaluatePolicies(policies: readonly SourcedPolicy[], request: IamRequest, options: { resourcePolicy: boolean }): PolicyDecision {
  const allows: MatchedStatement[] = [];
  const denies: MatchedStatement[] = [];
  const unknown: string[] = [];
  for (const policy of policies) {
    policy.statements.forEach((st, index) => {
      const where = `${policy.label} statement ${st.Sid !== undefined ? `"${st.Sid}"` : `#${index + 1}`}`;
      let result: { applies: Tri; principalMatch?: PrincipalMatch; effect: 'Allow' | 'Deny' };
      try {
        result = statementApplies(st, request, options.resourcePolicy);
      } catch (e) {
        if (e instanceof CannotEvaluate) {
          unknown.push(`${where}: ${e.message}`);
          return;
        }
        throw e;
      }
      if (result.applies === false) return;
      if (result.applies === 'unknown') {
        unknown.push(`${where}: cannot decide whether it applies`);
        return;
      }
      const m: MatchedStatement = { policy: policy.label, ...(st.Sid !== undefined ? { sid: st.Sid } : {}), index, ...(result.principalMatch ? { principalMatch: result.principalMatch } : {}) };
      (result.effect === 'Deny' ? denies : allows).push(m);
    });
  }
  if (denies.length > 0) return { decision: 'deny', allows, denies };
  if (unknown.length > 0) return { decision: 'unknown', allows, denies, reason: unknown.join('; ') };
  return { decision: allows.length > 0 ? 'allow' : 'implicit', allows, denies };
}

/** Whether one statement applies to the request (action, resource, principal, condition), and its effect. */
export function statementApplies(st: PolicyStatement, request: IamRequest, resourcePolicy: boolean): {
  applies: Tri; principalMatch?: PrincipalMatch; effect: 'Allow' | 'Deny';
} {
  const effect = st.Effect === 'Allow' || st.Effect === 'Deny' ? st.Effect : undefined;
  if (!effect) throw new CannotEvaluate(`Effect ${JSON.stringify(st.Effect)} is neither Allow nor Deny`);
  if (st.NotPrincipal !== undefined) throw new CannotEvaluate('NotPrincipal is not supported');
  const known = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
  const extra = Object.keys(st).filter((k) => !known.has(k));
  if (extra.length > 0) throw new CannotEvaluate(`unknown statement element ${extra.join(', ')}`);

  if ((st.Action === undefined) === (st.NotAction === undefined)) throw new CannotEvaluate('a statement needs exactly one of Action and NotAction');
  const actionMatches = st.Action !== undefined
    ? strings(st.Action, 'Action').some((a) => actionMatch(a, request.action))
    : !strings(st.NotAction, 'NotAction').some((a) => actionMatch(a, request.action));
  if (!actionMatches) return { applies: false, effect };

  if (st.Resource !== undefined && st.NotResource !== undefined) throw new CannotEvaluate('a statement cannot have both Resource and NotResource');
  if (st.Resource === undefined && st.NotResource === undefined && !resourcePolicy) throw new CannotEvaluate('an identity policy statement needs Resource or NotResource');
  if (st.Resource !== undefined || st.NotResource !== undefined) {
    const resourceMatches = st.Resource !== undefined
      ? strings(st.Resource, 'Resource').some((r) => resourceMatch(r, request.resource))
      : !strings(st.NotResource, 'NotResource').some((r) => resourceMatch(r, request.resource));
    if (!resourceMatches) return { applies: false, effect };
  }

  let principalMatch: PrincipalMatch | undefined;
  if (resourcePolicy) {
    if (st.Principal === undefined) throw new CannotEvaluate('a resource policy statement needs Principal');
    const pm = matchPrincipal(st.Principal, request.principal);
    if (pm === undefined) return { applies: false, effect };
    principalMatch = pm;
  } else if (st.Principal !== undefined) {
    throw new CannotEvaluate('an identity policy statement cannot have Principal');
  }

  const condition = conditionMatches(st.Condition, request.context);
  return { applies: condition, ...(principalMatch ? { principalMatch } : {}), effect };
}

function strings(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== 'string') throw new CannotEvaluate(`${what} value ${JSON.stringify(v)} is not a string`);
    if (isOpaque(v)) throw new CannotEvaluate(`${what} ${v} is known only at deploy time`);
    return v;
  });
}

/** Actions compare case-insensitively, with `*` and `?` wildcards. */
export function actionMatch(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  return globMatch(pattern.toLowerCase(), action.toLowerCase());
}

/** Resource ARNs: `*` matches everything; otherwise segment by segment, wildcards within segments, the resource part as a whole. */
export function resourceMatch(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  return arnLike(pattern, resource);
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** ArnLike/ArnEquals semantics: each of the six ARN segments compared on its own, `*` and `?` within a segment. */
export function arnLike(pattern: string, value: string): boolean {
  const p = arnParts(pattern);
  const v = arnParts(value);
  if (!p || !v) return globMatch(pattern, value);
  return p.every((seg, i) => globMatch(seg, v[i]));
}

/**
 * Names generated at deploy time (a key ID, an unnamed role) appear as `⟦stack/logicalId⟧` tokens (see world.ts).
 * A wildcard pattern matched against such a value is evaluated with several stand-ins for the token: when the
 * answer depends on the stand-in, the match cannot be decided.
 */
export const GENERATED_TOKEN = /⟦[^⟧]*⟧/g;
const STAND_INS = ['a', 'Zz9-0_Q', 'ab12cd34-ef56-7890-abcd-1234567890ef'];

/** Glob match (`*` any run, `?` one character), case-sensitive, whole string. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern.includes('${')) throw new CannotEvaluate(`policy variable in ${pattern} is not supported`);
  const hasToken = (s: string) => s.includes('⟦');
  if (!hasToken(pattern) && !hasToken(value)) return rawGlob(pattern, value);
  const answers = STAND_INS.map((stand) => {
    const sub = (s: string) => s.replace(GENERATED_TOKEN, (t) => `${stand}${t.length}`);
    return rawGlob(sub(pattern), sub(value));
  });
  if (answers.every((a) => a === answers[0])) return answers[0];
  throw new CannotEvaluate(`whether ${pattern} matches ${value} depends on a name generated at deploy time`);
}

function rawGlob(pattern: string, value: string): boolean {
  // Iterative wildcard matching with backtracking on the last `*`.
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Principal element against the caller; undefined when it does not name the caller. */
export function matchPrincipal(principal: unknown, caller: RequestPrincipal): PrincipalMatch | undefined {
  if (principal === '*') return 'direct';
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) {
    throw new CannotEvaluate(`Principal ${JSON.stringify(principal)} is not understood`);
  }
  let best: PrincipalMatch | undefined;
  for (const [type, raw] of Object.entries(principal as Record<string, unknown>)) {
    const values = strings(raw, `Principal.${type}`);
    if (type === 'AWS') {
      for (const v of values) {
        const m = matchAwsPrincipal(v, caller);
        if (m === 'direct') return 'direct';
        if (m === 'account') best = 'account';
      }
    } else if (type === 'Service') {
      if (caller.kind === 'service' && values.some((v) => v.toLowerCase() === caller.service.toLowerCase())) return 'direct';
    } else {
      throw new CannotEvaluate(`Principal type ${type} is not supported`);
    }
  }
  return best;
}

function matchAwsPrincipal(value: string, caller: RequestPrincipal): PrincipalMatch | undefined {
  if (value === '*') return 'direct';
  if (/^\d{12}$/.test(value)) return caller.kind === 'aws' && caller.account === value ? 'account' : undefined;
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(value);
  if (root) return caller.kind === 'aws' && caller.account === root[1] ? 'account' : undefined;
  if (/^arn:[^:]+:iam::\d{12}:(role|user)\//.test(value)) {
    if (value.includes('*') || value.includes('?')) throw new CannotEvaluate(`wildcard in principal ${value} is not allowed by IAM`);
    return caller.kind === 'aws' && caller.arn === value ? 'direct' : undefined;
  }
  throw new CannotEvaluate(`principal ${value} is not understood`);
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions

const STRING_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const ARN_OPERATORS = ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'];
const NUMERIC_OPERATORS = ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'];
const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NumericNotEquals']);

/** All operator blocks and all keys must hold (AND); values of one key are ORed (NOR for negated operators). */
export function conditionMatches(condition: unknown, context: Readonly<Record<string, ContextValue>>): Tri {
  if (condition === undefined) return true;
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) throw new CannotEvaluate('Condition is not an object');
  const lowerContext = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(context)) lowerContext.set(k.toLowerCase(), v);
  for (const [rawOperator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) throw new CannotEvaluate(`condition ${rawOperator} is not an object`);
    for (const [key, rawValues] of Object.entries(block as Record<string, unknown>)) {
      if (!evaluateCondition(rawOperator, key, rawValues, lowerContext)) return false;
    }
  }
  return true;
}

function contextKeyKnown(key: string): boolean {
  const k = key.toLowerCase();
  return KNOWN_CONTEXT_KEYS.includes(k) || KNOWN_CONTEXT_KEY_PREFIXES.some((p) => k.startsWith(p));
}

function evaluateCondition(rawOperator: string, key: string, rawValues: unknown, context: Map<string, ContextValue>): boolean {
  let operator = rawOperator;
  let set: 'ForAnyValue' | 'ForAllValues' | undefined;
  const colon = operator.indexOf(':');
  if (colon >= 0) {
    const prefix = operator.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') throw new CannotEvaluate(`condition set operator ${prefix} is not supported`);
    set = prefix;
    operator = operator.slice(colon + 1);
  }
  let ifExists = false;
  if (operator.endsWith('IfExists')) {
    ifExists = true;
    operator = operator.slice(0, -'IfExists'.length);
  }
  const supported = [...STRING_OPERATORS, ...ARN_OPERATORS, ...NUMERIC_OPERATORS, 'Bool', 'Null'];
  if (!supported.includes(operator)) throw new CannotEvaluate(`condition operator ${rawOperator} is not supported`);
  if (!contextKeyKnown(key)) throw new CannotEvaluate(`condition key ${key} is not modelled`);
  const policyValues = (Array.isArray(rawValues) ? rawValues : [rawValues]).map((v) => {
    if (typeof v === 'boolean' || typeof v === 'number') return String(v);
    if (typeof v !== 'string') throw new CannotEvaluate(`condition value ${JSON.stringify(v)} of ${key} is not a string`);
    if (isOpaque(v)) throw new CannotEvaluate(`condition value ${v} of ${key} is known only at deploy time`);
    return v;
  });
  const present = context.get(key.toLowerCase());

  if (operator === 'Null') {
    if (set || ifExists) throw new CannotEvaluate(`${rawOperator} is not supported`);
    if (policyValues.length !== 1) throw new CannotEvaluate(`Null takes one value, got ${policyValues.length}`);
    const wantAbsent = policyValues[0].toLowerCase() === 'true';
    const absent = present === undefined || (Array.isArray(present) && present.length === 0);
    return wantAbsent === absent;
  }

  const test = (v: string) => valueTest(operator, v, policyValues);
  if (set === undefined) {
    if (present === undefined) return ifExists || NEGATED.has(operator);
    if (Array.isArray(present)) throw new CannotEvaluate(`${key} is multivalued; ${rawOperator} needs ForAnyValue or ForAllValues`);
    return test(present as string);
  }
  const values = present === undefined ? [] : Array.isArray(present) ? present as readonly string[] : [present as string];
  if (set === 'ForAnyValue') return values.some(test);
  return values.every(test);
}

/** One context value against the policy values: any of them (positive operators), none of them (negated). */
function valueTest(operator: string, value: string, policyValues: readonly string[]): boolean {
  const negated = NEGATED.has(operator);
  const base = negated ? operator.replace('Not', '') : operator;
  const one = (p: string): boolean => {
    switch (base) {
      case 'StringEquals': return p === value;
      case 'StringEqualsIgnoreCase': return p.toLowerCase() === value.toLowerCase();
      case 'StringLike': return globMatch(p, value);
      case 'ArnEquals':
      case 'ArnLike': return arnLike(p, value);
      case 'Bool': {
        const b = p.toLowerCase();
        if (b !== 'true' && b !== 'false') throw new CannotEvaluate(`Bool value ${p} is neither true nor false`);
        return b === value.toLowerCase();
      }
      default: return numeric(base, value, p);
    }
  };
  const any = policyValues.some(one);
  return negated ? !any : any;
}

function numeric(operator: string, value: string, p: string): boolean {
  const a = Number(value);
  const b = Number(p);
  if (value.trim() === '' || p.trim() === '' || Number.isNaN(a) || Number.isNaN(b)) throw new CannotEvaluate(`${operator} compares ${value} with ${p}, not numbers`);
  switch (operator) {
    case 'NumericEquals': return a === b;
    case 'NumericLessThan': return a < b;
    case 'NumericLessThanEquals': return a <= b;
    case 'NumericGreaterThan': return a > b;
    case 'NumericGreaterThanEquals': return a >= b;
    default: throw new CannotEvaluate(`operator ${operator} is not supported`);
  }
}
