import { isOpaque } from '../assembly';
import { CatalogIndex, GrantModel, expressionMatches, principalAccount } from '../access';
import { ContextValue, IamRequest, PolicyDecision, RequestPrincipal, SourcedPolicy, evaluatePolicies } from './iam';
import type { KeyInfo, RoleInfo, World } from './world';

export type StepStatus = 'ok' | 'fail' | 'unknown';

/** One step of an actor's job, evaluated. */
export interface StepResult {
  /** What the actor does, in words. */
  readonly step: string;
  /** The AWS call or Lake Formation permission (`kms:GenerateDataKey`, `lakeformation:DESCRIBE`). */
  readonly call: string;
  /** What must allow it (`identity policy and bucket policy`, `key policy (cross-account) and identity policy`...). */
  readonly permission: string;
  readonly principal: string;
  readonly resource: string;
  /** The AWS documentation page that states what the step needs. */
  readonly doc: string;
  readonly status: StepStatus;
  /** For `fail`: which statement or grant is missing (or which deny applies). */
  readonly missing?: string;
  /** For `unknown`: what could not be evaluated. */
  readonly reason?: string;
  /** For `ok`: the statements or grants that allow it. */
  readonly allowedBy?: readonly string[];
  /** For IAM and KMS steps: the request context the step was evaluated with. */
  readonly context?: Readonly<Record<string, ContextValue>>;
}

export interface StepSpec {
  readonly step: string;
  readonly call: string;
  readonly principal: string;
  readonly resource: string;
  readonly doc: string;
}

/** Who calls: a role of the assembly, or a service principal acting for an account. */
export type Caller =
  | { readonly kind: 'role'; readonly role: RoleInfo }
  | { readonly kind: 'service'; readonly service: string };

export function callerName(c: Caller): string {
  return c.kind === 'role' ? c.role.arn : c.service;
}

function requestPrincipal(c: Caller): RequestPrincipal {
  return c.kind === 'role' ? { kind: 'aws', arn: c.role.arn, account: c.role.account } : { kind: 'service', service: c.service };
}

/** Context every request carries: SDK calls use TLS; role callers carry their ARN and account. */
function baseContext(c: Caller): Record<string, ContextValue> {
  return c.kind === 'role'
    ? { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': c.role.arn, 'aws:PrincipalAccount': c.role.account }
    : { 'aws:SecureTransport': 'true' };
}

function statementName(m: { policy: string; sid?: string; index: number }): string {
  return `${m.policy} statement ${m.sid !== undefined ? `"${m.sid}"` : `#${m.index + 1}`}`;
}

function policyLabels(role: RoleInfo): string {
  return role.policies.length === 0 ? 'none' : role.policies.map((p) => p.label).join(', ');
}

interface IamCheckOptions {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, ContextValue>>;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  /** The resource policy, if the resource has one in the assembly. */
  readonly resourcePolicy?: SourcedPolicy;
  /** How to name the resource when it has no policy (`bucket acme-...`). */
  readonly resourceLabel: string;
  /**
   * Only the caller's identity policy decides here (the owner's side is checked by another step, e.g. the Lake
   * Formation grant that shares a catalog resource across accounts).
   */
  readonly identityOnly?: boolean;
}

/**
 * An IAM-authorized call (not KMS, not AssumeRole). Same account: an identity policy or a resource policy naming the
 * caller allows it. Cross-account: the identity policy and the resource policy both allow it. Service principals
 * are allowed only by resource policies. Explicit deny wins everywhere.
 */
export function iamCheck(spec: StepSpec, o: IamCheckOptions): StepResult {
  const request: IamRequest = { principal: requestPrincipal(o.caller), action: o.action, resource: o.resource, context: { ...baseContext(o.caller), ...o.context } };
  const permission = o.caller.kind === 'service' ? `resource policy of ${o.resourceLabel} (service principal)`
    : o.identityOnly ? 'identity policy'
    : o.caller.role.account === o.resourceAccount ? 'identity policy, or resource policy naming the role' : 'identity policy AND resource policy (cross-account)';
  const done = (status: StepStatus, extra: { missing?: string; reason?: string; allowedBy?: readonly string[] } = {}) => ({ ...spec, permission, status, ...extra, context: request.context });
  if (isOpaque(o.resource)) return done('unknown', { reason: `resource ${o.resource} is known only at deploy time` });
  const rp = o.resourcePolicy ? evaluatePolicies([o.resourcePolicy], request, { resourcePolicy: true }) : undefined;
  if (o.caller.kind === 'service') {
    if (!rp) return done('fail', { missing: `${o.resourceLabel} has no resource policy; a service principal needs one allowing ${o.caller.service} ${o.action}` });
    const d = decided(rp);
    if (d) return done(d.status, d.extra);
    const direct = rp.allows.filter((m) => m.principalMatch === 'direct');
    if (direct.length > 0) return done('ok', { allowedBy: direct.map(statementName) });
    return done('fail', { missing: `${rp.reason ?? o.resourcePolicy!.label} has no statement allowing ${o.caller.service} ${o.action} on ${o.resource}` });
  }
  const role = o.caller.role;
  if (role.unknownPolicies.length > 0) return done('unknown', { reason: `role ${role.arn} has managed policies the assembly does not hold: ${role.unknownPolicies.join(', ')}` });
  const id = evaluatePolicies(role.policies, request, { resourcePolicy: false });
  for (const x of [id, rp]) {
    if (x?.decision === 'deny') return done('fail', { missing: `explicit deny in ${x.denies.map(statementName).join(', ')}` });
  }
  for (const x of [id, rp]) {
    if (x?.decision === 'unknown') return done('unknown', { reason: x.reason ?? 'cannot evaluate' });
  }
  const idAllows = id.decision === 'allow';
  const rpAny = rp?.allows ?? [];
  const rpDirect = rpAny.filter((m) => m.principalMatch === 'direct');
  const noIdentity = `no statement in the identity policies of ${role.arn} (${policyLabels(role)}) allows ${o.action} on ${o.resource}`;
  if (o.identityOnly) return idAllows ? done('ok', { allowedBy: id.allows.map(statementName) }) : done('fail', { missing: noIdentity });
  if (role.account === o.resourceAccount) {
    if (idAllows) return done('ok', { allowedBy: id.allows.map(statementName) });
    if (rpDirect.length > 0) return done('ok', { allowedBy: rpDirect.map(statementName) });
    return done('fail', { missing: `${noIdentity}${o.resourcePolicy ? `, and ${o.resourcePolicy.label} names no such permission for the role` : ''}` });
  }
  if (!idAllows) return done('fail', { missing: noIdentity });
  if (!o.resourcePolicy) return done('fail', { missing: `${o.resourceLabel} (account ${o.resourceAccount}) has no resource policy allowing ${role.arn} (account ${role.account}) ${o.action}` });
  if (rpAny.length === 0) return done('fail', { missing: `${o.resourcePolicy.label} has no statement allowing ${role.arn} ${o.action} on ${o.resource}` });
  return done('ok', { allowedBy: [...id.allows, ...rpAny].map(statementName) });
}

function decided(d: PolicyDecision): { status: StepStatus; extra: { missing?: string; reason?: string } } | undefined {
  if (d.decision === 'deny') return { status: 'fail', extra: { missing: `explicit deny in ${d.denies.map(statementName).join(', ')}` } };
  if (d.decision === 'unknown') return { status: 'unknown', extra: { reason: d.reason ?? 'cannot evaluate' } };
  return undefined;
}

export function findKey(world: World, arnOrId: string): KeyInfo | undefined {
  return world.keys.find((k) => k.arn === arnOrId || k.arn.endsWith(`/${arnOrId}`));
}

export function findRole(world: World, arn: string): RoleInfo | undefined {
  return world.roles.find((r) => r.arn === arn);
}

/**
 * A KMS call: the key policy must allow it, directly (naming the caller) or by naming the caller's account, which
 * delegates to that account's IAM policies (then an identity policy must allow it too). Across accounts both the key
 * policy and the caller's identity policy must allow it.
 */
export function kmsCheck(spec: StepSpec, world: World, caller: Caller, action: string, keyArn: string,
  context: Readonly<Record<string, ContextValue>> = {}): StepResult {
  const key = findKey(world, keyArn);
  const cross = caller.kind === 'role' && key !== undefined && caller.role.account !== key.account;
  const permission = caller.kind === 'service' ? 'key policy (service principal)'
    : cross ? 'key policy (cross-account) AND identity policy' : 'key policy, directly or by the account root principal plus identity policy';
  let request: IamRequest | undefined;
  const done = (status: StepStatus, extra: { missing?: string; reason?: string; allowedBy?: readonly string[] } = {}) => ({
    ...spec, permission, status, ...extra, ...(request ? { context: request.context } : {}),
  });
  if (!key) return done('unknown', { reason: `key ${keyArn} is not a key of the assembly: its key policy is unknown` });
  request = {
    principal: requestPrincipal(caller), action, resource: key.arn,
    context: {
      ...baseContext(caller), 'kms:ResourceAliases': key.aliases,
      ...(caller.kind === 'role' ? { 'kms:CallerAccount': caller.role.account } : {}),
      ...context,
    },
  };
  const kp = evaluatePolicies([key.policy], request, { resourcePolicy: true });
  const d = decided(kp);
  if (d) return done(d.status, d.extra);
  const name = callerName(caller);
  if (kp.allows.length === 0) return done('fail', { missing: `${key.policy.label} has no statement allowing ${name} ${action}` });
  if (caller.kind === 'service') {
    const direct = kp.allows.filter((m) => m.principalMatch === 'direct');
    return direct.length > 0 ? done('ok', { allowedBy: direct.map(statementName) })
      : done('fail', { missing: `${key.policy.label} has no statement allowing ${name} ${action}` });
  }
  const role = caller.role;
  if (role.unknownPolicies.length > 0) return done('unknown', { reason: `role ${role.arn} has managed policies the assembly does not hold: ${role.unknownPolicies.join(', ')}` });
  const id = evaluatePolicies(role.policies, request, { resourcePolicy: false });
  const di = decided(id);
  if (di) return done(di.status, di.extra);
  const direct = kp.allows.filter((m) => m.principalMatch === 'direct');
  if (!cross && direct.length > 0) return done('ok', { allowedBy: direct.map(statementName) });
  if (id.decision === 'allow') return done('ok', { allowedBy: [...kp.allows, ...id.allows].map(statementName) });
  const how = cross ? `the key is in account ${key.account}: besides ${key.policy.label}` : `${key.policy.label} delegates to the IAM policies of account ${role.account} (root principal), but`;
  return done('fail', { missing: `${how} no statement in the identity policies of ${role.arn} (${policyLabels(role)}) allows ${action} on ${key.arn}` });
}

/** sts:AssumeRole by a service principal (or a role): the role's trust policy must allow it. */
export function trustCheck(spec: StepSpec, world: World, roleArn: string, assumer: Caller,
  context: Readonly<Record<string, ContextValue>> = {}): StepResult {
  const permission = 'trust policy of the role';
  const done = (status: StepStatus, extra: { missing?: string; reason?: string; allowedBy?: readonly string[] } = {}) => ({ ...spec, permission, status, ...extra });
  const role = findRole(world, roleArn);
  if (!role) return done('fail', { missing: `role ${roleArn} is not defined in the assembly` });
  const request: IamRequest = { principal: requestPrincipal(assumer), action: 'sts:AssumeRole', resource: role.arn, context: { ...baseContext(assumer), ...context } };
  const tp = evaluatePolicies([role.trust], request, { resourcePolicy: true });
  const d = decided(tp);
  if (d) return done(d.status, d.extra);
  const direct = tp.allows.filter((m) => m.principalMatch === 'direct');
  if (direct.length > 0) return done('ok', { allowedBy: direct.map(statementName) });
  return done('fail', { missing: `${role.trust.label} has no statement allowing ${callerName(assumer)} sts:AssumeRole` });
}

/** A step that is a fact of the templates (a registration exists, a setting is set). */
export function factCheck(spec: StepSpec, permission: string, ok: boolean, missing: string, allowedBy?: string): StepResult {
  return ok ? { ...spec, permission, status: 'ok', ...(allowedBy ? { allowedBy: [allowedBy] } : {}) } : { ...spec, permission, status: 'fail', missing };
}

// ---------------------------------------------------------------------------------------------------------------
// Lake Formation

const DB_LEVEL = new Set(['ALTER', 'CREATE_TABLE', 'DESCRIBE', 'DROP']);

/**
 * Grants that give `principal` `permission` on a database (`table` undefined) or a table, by named resource or by
 * LF-tag expression. A grant made by another account than the catalog's (a re-grant) counts only as far as that
 * account holds the permission with the grant option.
 */
export function lfGrantsFor(world: World, principal: string, permission: string, catalogId: string, database: string, table?: string,
  depth = 0): GrantModel[] {
  const index = new CatalogIndex(world.catalog);
  const has = (g: GrantModel, grantable: boolean) => {
    const list = grantable ? g.grantable : g.permissions;
    return list.includes(permission) || list.includes('ALL') || list.includes('SUPER');
  };
  const matches = (g: GrantModel, grantable: boolean): boolean => {
    if (!has(g, grantable)) return false;
    const r = g.resource;
    if (r.catalogId !== catalogId) return false;
    if (table === undefined) {
      if (r.kind === 'Database') return r.name === database;
      if (r.kind === 'LFTagPolicy' && r.resourceType === 'DATABASE') return expressionMatches(r.expression, index.databaseTags(catalogId, database));
      return false;
    }
    if (r.kind === 'Table') return r.databaseName === database && (r.name === undefined || r.name === table);
    if (r.kind === 'LFTagPolicy' && r.resourceType === 'TABLE') {
      const t = index.table(catalogId, database, table);
      return t !== undefined && expressionMatches(r.expression, index.tableTags(t));
    }
    return false;
  };
  if (table === undefined && !DB_LEVEL.has(permission)) return [];
  const out: GrantModel[] = [];
  for (const g of world.catalog.grants) {
    if (g.principal !== principal || !matches(g, false)) continue;
    if (g.grantorAccount === catalogId) out.push(g);
    else if (depth === 0 && lfGrantsFor(world, g.grantorAccount, permission, catalogId, database, table, 1)
      .some((h) => h.grantable.includes(permission) || h.grantable.includes('ALL'))) out.push(g);
  }
  return depth === 0 ? out : out.filter((g) => matches(g, true) || g.grantable.length > 0);
}

/** DATA_LOCATION_ACCESS for `principal` on `location` (an S3 ARN) of catalog `catalogId`. */
export function dataLocationCheck(spec: StepSpec, world: World, principal: string, catalogId: string, location: string): StepResult {
  const permission = 'Lake Formation DATA_LOCATION_ACCESS';
  const covers = (arn: string) => location === arn.replace(/\/+$/, '') || location.startsWith(`${arn.replace(/\/+$/, '')}/`);
  const grants = world.catalog.grants.filter((g) => g.resource.kind === 'DataLocation' && g.resource.catalogId === catalogId
    && covers(g.resource.resourceArn) && g.permissions.includes('DATA_LOCATION_ACCESS'));
  const account = principalAccount(principal);
  const toPrincipal = grants.filter((g) => g.principal === principal);
  const okGrant = toPrincipal.find((g) => {
    if (account === catalogId) return g.grantorAccount === catalogId;
    // Across accounts: granted to the principal's account with the grant option, re-granted there with the catalog's ID.
    return g.grantorAccount === account && grants.some((a) => a.principal === account && a.grantorAccount === catalogId && a.grantable.includes('DATA_LOCATION_ACCESS'));
  });
  if (okGrant) return { ...spec, permission, status: 'ok', allowedBy: [`grant ${okGrant.id}`] };
  const straight = toPrincipal.find((g) => g.grantorAccount === catalogId && account !== catalogId);
  if (straight) {
    return {
      ...spec, permission, status: 'fail',
      missing: `grant ${straight.id} gives DATA_LOCATION_ACCESS on ${location} straight to ${principal} of account ${account}; across accounts it is `
        + `documented only to an account with the grant option, re-granted by that account's administrator with CatalogId ${catalogId}`,
    };
  }
  return { ...spec, permission, status: 'fail', missing: `no Lake Formation grant of DATA_LOCATION_ACCESS on ${location} (catalog ${catalogId}) to ${principal}` };
}

/** A database- or table-level Lake Formation permission (not SELECT). */
export function lfPermissionCheck(spec: StepSpec, world: World, principal: string, permission: string, catalogId: string, database: string,
  table?: string): StepResult {
  const grants = lfGrantsFor(world, principal, permission, catalogId, database, table);
  const what = table === undefined ? `database ${catalogId}:${database}` : `table ${catalogId}:${database}.${table}`;
  if (grants.length > 0) return { ...spec, permission: `Lake Formation ${permission}`, status: 'ok', allowedBy: grants.map((g) => `grant ${g.id}`) };
  return { ...spec, permission: `Lake Formation ${permission}`, status: 'fail', missing: `no Lake Formation grant of ${permission} on ${what} to ${principal}` };
}
