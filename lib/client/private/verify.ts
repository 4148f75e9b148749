import type { DataLakeSettings, GetResourceLFTagsResponse, LFTagPair, PrincipalResourcePermissions, Resource } from '@aws-sdk/client-lakeformation';
import { CROSS_ACCOUNT_VERSION_PARAMETER, IAM_ALLOWED_PRINCIPALS } from '../defaults';
import type { DeclarationSource, GrantFinding, SettingsFinding, TagFinding } from '../types';
import { Declarations, DeclaredAssociation, TagTarget, defaultPermissions } from './assembly';
import { compareStrings } from './compare';
import { LfResource, databaseOf, describeResource, normalizeResource, resourceKey } from './lf-resources';

/** The live Lake Formation state verify() reads; implemented by MeshClient with retries. */
export interface LiveLakeFormation {
  /** Every permission of the catalog, all pages; `resourceType` narrows the listing. */
  listPermissions(catalogId: string, resourceType?: 'LF_TAG_POLICY' | 'LF_TAG'): Promise<PrincipalResourcePermissions[]>;
  /** Assigned (not inherited) LF-tags of a database or table and its columns. */
  getAssignedLfTags(resource: Resource): Promise<GetResourceLFTagsResponse>;
  /** Undefined when the LF-tag does not exist. */
  getLfTag(catalogId: string, key: string): Promise<{ values: string[] } | undefined>;
  getDataLakeSettings(catalogId: string): Promise<DataLakeSettings | undefined>;
}

export interface VerifyFindings {
  readonly missingGrants: GrantFinding[];
  readonly extraGrants: GrantFinding[];
  readonly missingTags: TagFinding[];
  readonly extraTags: TagFinding[];
  readonly settingsProblems: SettingsFinding[];
}

export interface CompareOptions {
  readonly account: string;
  /** Principals whose undeclared grants are not reported as extra. */
  readonly ignorePrincipals: readonly string[];
}

interface GrantEntry {
  readonly principal: string;
  readonly resource: LfResource;
  readonly permission: string;
  readonly grantOption: boolean;
  readonly source?: DeclarationSource;
}

export async function compareWithLive(d: Declarations, live: LiveLakeFormation, options: CompareOptions): Promise<VerifyFindings> {
  const findings: VerifyFindings = { missingGrants: [], extraGrants: [], missingTags: [], extraTags: [], settingsProblems: [] };
  await compareGrants(d, live, options, findings);
  await compareAssociations(d, live, findings);
  await compareLfTags(d, live, findings);
  await compareSettings(d, live, findings);
  return findings;
}

async function compareGrants(d: Declarations, live: LiveLakeFormation, options: CompareOptions, f: VerifyFindings): Promise<void> {
  const declared = new Map<string, GrantEntry>();
  for (const g of d.grants) {
    for (const permission of union(g.permissions, g.permissionsWithGrantOption)) {
      const e = { principal: g.principal, resource: g.resource, permission, grantOption: g.permissionsWithGrantOption.includes(permission), source: g.source };
      declared.set(grantKey(e), e);
    }
  }
  const usesTagGrants = d.grants.some((g) => g.resource.kind === 'lf-tag-policy') || d.managedTagKeys.size > 0;
  const usesTagKeyGrants = d.grants.some((g) => g.resource.kind === 'lf-tag');
  const listings = [await live.listPermissions(options.account)];
  // Unsure whether an unfiltered listing includes LF-tag grants everywhere: ask for them explicitly too.
  if (usesTagGrants) listings.push(await live.listPermissions(options.account, 'LF_TAG_POLICY'));
  if (usesTagKeyGrants) listings.push(await live.listPermissions(options.account, 'LF_TAG'));
  const actual = new Map<string, GrantEntry>();
  for (const p of listings.flat()) {
    const principal = p.Principal?.DataLakePrincipalIdentifier ?? '';
    const resource = normalizeResource(p.Resource, options.account);
    const grantable: readonly string[] = p.PermissionsWithGrantOption ?? [];
    for (const permission of union(p.Permissions ?? [], grantable)) {
      const e = { principal, resource, permission, grantOption: grantable.includes(permission) };
      actual.set(grantKey(e), e);
    }
  }
  const missing = [...declared.entries()].filter(([k]) => !actual.has(k)).map(([, e]) => e);
  const extra = [...actual.entries()].filter(([k, e]) => !declared.has(k) && isManaged(d, e.resource) && !options.ignorePrincipals.includes(e.principal)).map(([, e]) => e);
  for (const g of groupGrants(missing)) {
    f.missingGrants.push({
      ...g,
      description: `${g.principal} lacks ${g.permissions.join(', ')}${g.grantOption ? ' with grant option' : ''} on ${g.resource}, declared by ${g.source!.stack}/${g.source!.logicalId}.`,
    });
  }
  for (const g of groupGrants(extra)) {
    const why = g.principal === IAM_ALLOWED_PRINCIPALS
      ? ' IAM_ALLOWED_PRINCIPALS lets IAM policies alone decide access, which bypasses the mesh\'s Lake Formation governance.'
      : '';
    f.extraGrants.push({
      ...g,
      description: `${g.principal} has ${g.permissions.join(', ')}${g.grantOption ? ' with grant option' : ''} on ${g.resource}, which the assembly does not declare.${why}`,
    });
  }
}

function grantKey(e: GrantEntry): string {
  return `${e.principal}\u241f${resourceKey(e.resource)}\u241f${e.permission}\u241f${e.grantOption}`;
}

/** Groups per-permission entries back into one finding per principal, resource and grant option. */
function groupGrants(entries: readonly GrantEntry[]): Omit<GrantFinding, 'description'>[] {
  const groups = new Map<string, { principal: string; resource: string; permissions: string[]; grantOption: boolean; source?: DeclarationSource }>();
  for (const e of entries) {
    const key = `${e.principal}\u241f${resourceKey(e.resource)}\u241f${e.grantOption}`;
    const g = groups.get(key) ?? { principal: e.principal, resource: describeResource(e.resource), permissions: [], grantOption: e.grantOption, source: e.source };
    g.permissions.push(e.permission);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, permissions: [...g.permissions].sort() }))
    .sort((a, b) => compareStrings(`${a.principal} ${a.resource}`, `${b.principal} ${b.resource}`));
}

/** Only grants on what the assembly creates or grants count as extra; the rest of the account is not ours. */
function isManaged(d: Declarations, r: LfResource): boolean {
  if (d.managedResourceKeys.has(resourceKey(r))) return true;
  const db = databaseOf(r);
  if (db !== undefined) return d.managedDatabases.has(db);
  switch (r.kind) {
    case 'location': return d.managedLocations.some((l) => r.arn === l || r.arn.startsWith(`${l}/`));
    case 'lf-tag': return d.managedTagKeys.has(`${r.catalogId}:${r.key}`);
    case 'lf-tag-policy': return r.expression.some((c) => d.managedTagKeys.has(`${r.catalogId}:${c.key}`));
    default: return false;
  }
}

async function compareAssociations(d: Declarations, live: LiveLakeFormation, f: VerifyFindings): Promise<void> {
  const byTarget = new Map<string, { target: TagTarget; associations: DeclaredAssociation[] }>();
  for (const a of d.associations) {
    const key = `${a.target.catalogId}:${a.target.database}:${a.target.table ?? ''}`;
    const entry = byTarget.get(key) ?? { target: a.target, associations: [] };
    entry.associations.push(a);
    byTarget.set(key, entry);
  }
  for (const { target, associations } of [...byTarget.values()]) {
    const resource: Resource = target.table === undefined
      ? { Database: { CatalogId: target.catalogId, Name: target.database } }
      : { Table: { CatalogId: target.catalogId, DatabaseName: target.database, Name: target.table } };
    const response = await live.getAssignedLfTags(resource);
    const name = target.table === undefined ? `database ${target.database}` : `table ${target.database}.${target.table}`;
    const own = associations.filter((a) => a.columns === undefined);
    compareTagSet(f, `${name} (catalog ${target.catalogId})`, mergeTags(own), pairsToMap(target.table === undefined ? response.LFTagOnDatabase : response.LFTagsOnTable), own);
    if (target.table === undefined) continue;
    const columns = associations.filter((a) => a.columns !== undefined);
    const liveColumns = new Map((response.LFTagsOnColumns ?? []).map((c) => [c.Name ?? '', pairsToMap(c.LFTags)]));
    const names = new Set([...columns.flatMap((a) => a.columns ?? []), ...liveColumns.keys()]);
    for (const col of [...names].sort()) {
      const declaring = columns.filter((a) => a.columns!.includes(col));
      compareTagSet(f, `column ${col} of ${name} (catalog ${target.catalogId})`, mergeTags(declaring), liveColumns.get(col) ?? new Map(), declaring);
    }
  }
}

function compareTagSet(f: VerifyFindings, resource: string, expected: Map<string, string>, actual: Map<string, string[]>, declaring: readonly DeclaredAssociation[]): void {
  for (const [key, value] of expected) {
    const values = actual.get(key);
    if (values?.includes(value)) continue;
    const source = declaring.find((a) => a.tags[key] === value)?.source;
    f.missingTags.push({
      kind: 'resource', resource, tagKey: key, tagValue: value, ...(source ? { source } : {}),
      description: `${resource} lacks LF-tag ${key}=${value}` + (values?.length ? ` (it has ${key}=${values.join('|')})` : '') +
        (source ? `, declared by ${source.stack}/${source.logicalId}.` : '.'),
    });
  }
  for (const [key, values] of actual) {
    if (expected.has(key)) continue;
    for (const value of values) {
      f.extraTags.push({ kind: 'resource', resource, tagKey: key, tagValue: value, description: `${resource} carries LF-tag ${key}=${value}, which the assembly does not declare.` });
    }
  }
}

function mergeTags(associations: readonly DeclaredAssociation[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of associations) for (const [k, v] of Object.entries(a.tags)) m.set(k, v);
  return m;
}

function pairsToMap(pairs: readonly LFTagPair[] | undefined): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of pairs ?? []) m.set((p.TagKey ?? '').toLowerCase(), (p.TagValues ?? []).map((v) => v.toLowerCase()));
  return m;
}

async function compareLfTags(d: Declarations, live: LiveLakeFormation, f: VerifyFindings): Promise<void> {
  for (const tag of d.lfTags) {
    const actual = await live.getLfTag(tag.catalogId, tag.key);
    const declaredBy = `${tag.source.stack}/${tag.source.logicalId}`;
    if (!actual) {
      f.missingTags.push({
        kind: 'lf-tag', tagKey: tag.key, source: tag.source,
        description: `LF-tag ${tag.key} does not exist in catalog ${tag.catalogId}; ${declaredBy} declares it with values ${tag.values.join(', ')}.`,
      });
      continue;
    }
    const actualValues = actual.values.map((v) => v.toLowerCase());
    for (const value of tag.values.filter((v) => !actualValues.includes(v))) {
      f.missingTags.push({
        kind: 'lf-tag', tagKey: tag.key, tagValue: value, source: tag.source,
        description: `LF-tag ${tag.key} in catalog ${tag.catalogId} lacks the value ${value}, declared by ${declaredBy}.`,
      });
    }
    for (const value of actualValues.filter((v) => !tag.values.includes(v))) {
      f.extraTags.push({
        kind: 'lf-tag', tagKey: tag.key, tagValue: value,
        description: `LF-tag ${tag.key} in catalog ${tag.catalogId} has the value ${value}, which ${declaredBy} does not declare.`,
      });
    }
  }
}

async function compareSettings(d: Declarations, live: LiveLakeFormation, f: VerifyFindings): Promise<void> {
  const cache = new Map<string, DataLakeSettings | undefined>();
  for (const s of d.settings) {
    if (!cache.has(s.catalogId)) cache.set(s.catalogId, await live.getDataLakeSettings(s.catalogId));
    const actual = cache.get(s.catalogId) ?? {};
    const by = `declared by ${s.source.stack}/${s.source.logicalId}`;
    const admins = (actual.DataLakeAdmins ?? []).map((a) => a.DataLakePrincipalIdentifier);
    for (const admin of s.admins.filter((a) => !admins.includes(a))) {
      f.settingsProblems.push({ kind: 'admin', source: s.source, description: `${admin} is not a data lake administrator of catalog ${s.catalogId} (${by}); CloudFormation deploys of Glue and Lake Formation resources fail without it.` });
    }
    const version = actual.Parameters?.[CROSS_ACCOUNT_VERSION_PARAMETER];
    if (s.crossAccountVersion !== undefined && version !== s.crossAccountVersion) {
      f.settingsProblems.push({
        kind: 'cross-account-version', source: s.source,
        description: `${CROSS_ACCOUNT_VERSION_PARAMETER} of catalog ${s.catalogId} is ${version === undefined ? 'not set' : `"${version}"`}, expected "${s.crossAccountVersion}" (${by}).`,
      });
    }
    for (const [field, wanted, got] of [
      ['CreateDatabaseDefaultPermissions', s.createDatabaseDefaultPermissions, actual.CreateDatabaseDefaultPermissions],
      ['CreateTableDefaultPermissions', s.createTableDefaultPermissions, actual.CreateTableDefaultPermissions],
    ] as const) {
      if (wanted === undefined) continue;
      const have = defaultPermissions(got ?? []) ?? [];
      if (have.join(',') === [...wanted].sort().join(',')) continue;
      const consequence = wanted.length === 0 && have.some((h) => h.startsWith(`${IAM_ALLOWED_PRINCIPALS}:`))
        ? ' New resources inherit IAM_ALLOWED_PRINCIPALS, so tag-based sharing silently does nothing.' : '';
      f.settingsProblems.push({
        kind: 'default-permissions', source: s.source,
        description: `${field} of catalog ${s.catalogId} is [${have.join(', ')}], expected [${wanted.join(', ')}] (${by}).${consequence}`,
      });
    }
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
