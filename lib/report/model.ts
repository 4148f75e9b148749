/**
 * The model of `data-mesh report`: everything the report shows, read from a synthesized cloud assembly
 * (`cdk.out`): stacks and their sizes, cdk-nag findings (validation-report.json) and acknowledgements (template
 * metadata `cdk_nag.rules_to_suppress`), the effective access matrix of lib/access, who can read sensitive columns,
 * and the domains, products and subscriptions the diagram draws. Plain data, sorted, so that the same assembly
 * always gives the same report.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AccessMatrix, CatalogModel, SensitiveRead, compareStrings, databaseKey, evaluate, modelFromTemplates, selectedColumns,
  sensitiveColumnReaders, stackTemplate, tableKey,
} from '../access';
import { CfnTemplate, readCloudAssembly } from '../assembly';

/** The cdk-nag packs of lib/compliance.ts, in the order the report lists them. */
export const KNOWN_PACKS: readonly string[] = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'DataMesh'];

/** Classifications whose readers the report lists unless told otherwise. */
export const DEFAULT_SENSITIVE_CLASSIFICATIONS: readonly string[] = ['confidential', 'pii'];

export const VALIDATION_REPORT_FILE = 'validation-report.json';

/** What a stack of the mesh is for, from its ID (ARCHITECTURE section 2); `other` for stacks the mesh did not make. */
export type ReportStackKind = 'lakeformation' | 'storage' | 'governance' | 'catalog' | 'subscriptions' | 'access' | 'other';

export interface StackSummary {
  /** Artifact ID (nested assemblies: `<assembly>/<artifact>`). */
  readonly id: string;
  readonly stackName: string;
  /** Construct path of the stack (manifest `displayName`). */
  readonly path: string;
  readonly account: string;
  readonly region: string;
  readonly kind: ReportStackKind;
  /** Domain the stack belongs to (storage, catalog, subscriptions). */
  readonly domain?: string;
  /** CloudFormation resources, without `AWS::CDK::Metadata`. */
  readonly resources: number;
  /** Lake Formation grants (`AWS::LakeFormation::PrincipalPermissions` and legacy `AWS::LakeFormation::Permissions`). */
  readonly grants: number;
  /** Unacknowledged cdk-nag findings on resources of the stack. */
  readonly findings: number;
  /** Acknowledged rules written into the metadata of the stack's resources. */
  readonly acknowledgements: number;
}

export interface AccountSummary {
  readonly account: string;
  /** Sorted by stack ID. */
  readonly stacks: readonly StackSummary[];
  readonly resources: number;
  readonly grants: number;
  readonly findings: number;
  readonly acknowledgements: number;
}

/** An unacknowledged cdk-nag finding on one construct. */
export interface Finding {
  readonly pack: string;
  readonly rule: string;
  /** `error` or `warning` (as the validation report spells it). */
  readonly severity: string;
  readonly constructPath: string;
  /** Stack ID the construct belongs to, when known. */
  readonly stack?: string;
  readonly description: string;
}

/** An acknowledged cdk-nag rule on one resource, as written into its template metadata. */
export interface Acknowledgement {
  readonly pack: string;
  /** Rule ID as acknowledged, e.g. `AwsSolutions-IAM5[Resource::*]` or `DataMesh-S3BucketKmsEncrypted`. */
  readonly ruleId: string;
  /** `aws:cdk:path` metadata of the resource, or `<stack path>/<logicalId>` when the assembly has no path metadata. */
  readonly constructPath: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly reason: string;
}

export interface PackSummary {
  readonly pack: string;
  readonly findings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledgements: number;
}

export interface ProductNode {
  readonly domain: string;
  readonly name: string;
  readonly catalogId: string;
  readonly database: string;
  readonly description?: string;
  readonly owner?: string;
  /** Product-level classification (`classification_level` database parameter). */
  readonly classification?: string;
  /** Sorted. */
  readonly tables: readonly string[];
}

export interface DomainNode {
  readonly name: string;
  readonly account: string;
  readonly region?: string;
  /** Sorted by name. */
  readonly products: readonly ProductNode[];
}

/** A consumer domain's query role can read a product of another domain. */
export interface SubscriptionEdge {
  readonly consumer: string;
  readonly producer: string;
  readonly product: string;
  readonly principal: string;
  readonly catalogId: string;
  readonly database: string;
  /** Columns the query role may SELECT in the product. */
  readonly columns: number;
}

export interface ReportModel {
  /** Mesh name (from the stack names, else from the product databases' `mesh` parameter). */
  readonly mesh: string;
  /**
   * Whether `validation-report.json` was in the assembly. The CDK writes it on every synth that validates (also when
   * every plugin passed: then it lists no plugin), so its absence means findings are unknown.
   */
  readonly validationReport: boolean;
  /** Plugins that reported violations in `validation-report.json`, sorted. */
  readonly failedPlugins: readonly string[];
  /** Sorted by ID. */
  readonly stacks: readonly StackSummary[];
  /** Sorted by account. */
  readonly accounts: readonly AccountSummary[];
  /** The five known packs first (always listed), then any other pack found, sorted. */
  readonly packs: readonly PackSummary[];
  /** Sorted by pack, rule, construct path. */
  readonly findings: readonly Finding[];
  /** Sorted by pack, rule ID, construct path. */
  readonly acknowledgements: readonly Acknowledgement[];
  readonly catalog: CatalogModel;
  readonly matrix: AccessMatrix;
  readonly sensitive: { readonly classifications: readonly string[]; readonly readers: readonly SensitiveRead[] };
  /** Sorted by account, then name. */
  readonly domains: readonly DomainNode[];
  /** Sorted by consumer, producer, product. */
  readonly edges: readonly SubscriptionEdge[];
  /**
   * Problems of the access evaluation (lib/access), and principals the report could not resolve to an ARN or account
   * (e.g. `<GetAtt:Role.Arn>` of a role without a fixed name): sorted.
   */
  readonly warnings: readonly string[];
  readonly totals: {
    readonly accounts: number;
    readonly stacks: number;
    readonly resources: number;
    readonly grants: number;
    readonly findings: number;
    readonly acknowledgements: number;
    readonly domains: number;
    readonly products: number;
    readonly subscriptions: number;
  };
}

export interface ReportOptions {
  /** Classifications whose readers are listed and whose columns are marked. @default DEFAULT_SENSITIVE_CLASSIFICATIONS */
  readonly sensitive?: readonly string[];
}

/** Reads a cloud assembly into a {@link ReportModel}. Throws when `dir` is not a readable cloud assembly. */
export function buildReportModel(dir: string, options: ReportOptions = {}): ReportModel {
  const assembly = readCloudAssembly(dir);
  const catalog = modelFromTemplates(assembly.map(stackTemplate));
  // Templates and construct paths by stack ID.
  const files = new Map(assembly.map((s) => [s.id, { path: s.displayName ?? s.artifactId, template: s.template }]));
  const matrix = evaluate(catalog);
  const sensitiveClassifications = [...new Set(options.sensitive ?? DEFAULT_SENSITIVE_CLASSIFICATIONS)];

  const mesh = meshName(catalog);
  const databases = catalog.databases.filter((d) => !d.isLink && d.parameters.data_product === 'true');

  // Domains: storage stacks (consumer-only domains too), and the domain parameter of product databases.
  const domainAccounts = new Map<string, { account: string; region?: string }>();
  const storageDomain = new Map<string, string>();
  for (const s of catalog.stacks) {
    const part = kindOf(s.id).kind === 'storage' ? kindOf(s.id).part : undefined;
    if (part === undefined) continue;
    const name = domainOfStorageStack(files.get(s.id)?.template, mesh) ?? part;
    storageDomain.set(s.id, name);
    domainAccounts.set(name, { account: s.account, region: s.region });
  }
  const products = new Map<string, ProductNode>();
  for (const d of databases) {
    const domain = d.parameters.domain;
    const name = d.parameters.product;
    if (!domain || !name) continue;
    if (!domainAccounts.has(domain)) domainAccounts.set(domain, { account: d.parameters.producer_account ?? d.catalogId });
    const tables = catalog.tables.filter((t) => t.catalogId === d.catalogId && t.databaseName === d.name).map((t) => t.name).sort(compareStrings);
    const description = descriptionOf(files.get(d.stack)?.template, d.logicalId);
    products.set(databaseKey(d.catalogId, d.name), {
      domain, name, catalogId: d.catalogId, database: d.name, tables,
      ...(description !== undefined ? { description } : {}),
      ...(d.parameters.owner !== undefined ? { owner: d.parameters.owner } : {}),
      ...(d.parameters.classification_level !== undefined ? { classification: d.parameters.classification_level } : {}),
    });
  }
  const domains: DomainNode[] = [...domainAccounts.entries()].map(([name, env]) => ({
    name,
    account: env.account,
    ...(env.region !== undefined ? { region: env.region } : {}),
    products: [...products.values()].filter((p) => p.domain === name).sort((a, b) => compareStrings(a.name, b.name)),
  })).sort((a, b) => compareStrings(a.account, b.account) || compareStrings(a.name, b.name));
  const domainNames = domains.map((d) => d.name);

  // Subscription edges: a query role `<mesh>-<domain>-query` that reads a product of another domain.
  const edges: SubscriptionEdge[] = [];
  for (const e of matrix.entries) {
    const consumer = queryRoleDomain(e.principal, mesh, domainNames);
    const product = products.get(databaseKey(e.catalogId, e.database));
    if (consumer === undefined || product === undefined || product.domain === consumer) continue;
    let columns = 0;
    for (const table of Object.keys(e.tables)) {
      columns += selectedColumns(e.tables[table].select, matrix.schema[tableKey(e.catalogId, e.database, table)]?.columns ?? []).length;
    }
    if (!e.describe && columns === 0 && !Object.values(e.tables).some((t) => t.describe)) continue;
    edges.push({ consumer, producer: product.domain, product: product.name, principal: e.principal, catalogId: e.catalogId, database: e.database, columns });
  }
  edges.sort((a, b) => compareStrings(a.consumer, b.consumer) || compareStrings(a.producer, b.producer)
    || compareStrings(a.product, b.product) || compareStrings(a.principal, b.principal));

  // Acknowledgements from template metadata.
  const acknowledgements: Acknowledgement[] = [];
  for (const s of catalog.stacks) {
    const file = files.get(s.id);
    const resources = file?.template.Resources ?? {};
    for (const logicalId of Object.keys(resources).sort(compareStrings)) {
      const metadata = resources[logicalId].Metadata ?? {};
      const nag = metadata.cdk_nag as { rules_to_suppress?: unknown } | undefined;
      const rules = Array.isArray(nag?.rules_to_suppress) ? nag!.rules_to_suppress as unknown[] : [];
      const cdkPath = typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] as string : `${file?.path ?? s.id}/${logicalId}`;
      for (const rule of rules) {
        const r = (rule ?? {}) as { id?: unknown; reason?: unknown; applies_to?: unknown };
        if (typeof r.id !== 'string') continue;
        const ruleId = unqualify(r.id);
        const appliesTo = Array.isArray(r.applies_to) ? r.applies_to.map(String) : [];
        acknowledgements.push({
          pack: packOf(ruleId),
          ruleId: appliesTo.length > 0 ? `${ruleId} [${appliesTo.join(', ')}]` : ruleId,
          constructPath: cdkPath,
          stack: s.id,
          logicalId,
          reason: typeof r.reason === 'string' ? r.reason : '',
        });
      }
    }
  }
  const packRank = (p: string) => {
    const i = KNOWN_PACKS.indexOf(p);
    return i === -1 ? KNOWN_PACKS.length : i;
  };
  const byPack = (a: { pack: string }, b: { pack: string }) => packRank(a.pack) - packRank(b.pack) || compareStrings(a.pack, b.pack);
  acknowledgements.sort((a, b) => byPack(a, b) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.constructPath, b.constructPath)
    || compareStrings(a.reason, b.reason));

  // Findings from the validation report.
  const reportFile = path.join(dir, VALIDATION_REPORT_FILE);
  const validationReport = fs.existsSync(reportFile);
  const findings = validationReport ? readFindings(reportFile, catalog.stacks.map((s) => ({ id: s.id, path: files.get(s.id)?.path ?? s.id, templateFile: s.templateFile }))) : [];
  const failedPlugins = [...new Set(findings.map((f) => f.pack))].sort(compareStrings);
  findings.sort((a, b) => byPack(a, b) || compareStrings(a.rule, b.rule) || compareStrings(a.constructPath, b.constructPath)
    || compareStrings(a.description, b.description));

  const stacks: StackSummary[] = catalog.stacks.map((s) => {
    const resources = Object.values(files.get(s.id)?.template.Resources ?? {});
    const { kind, part } = kindOf(s.id);
    const domain = kind === 'storage' ? storageDomain.get(s.id) : part !== undefined ? domainFromPart(part, domainNames) : undefined;
    return {
      id: s.id,
      stackName: s.stackName,
      path: files.get(s.id)?.path ?? s.id,
      account: s.account,
      region: s.region,
      kind,
      ...(domain !== undefined ? { domain } : {}),
      resources: resources.filter((r) => r.Type !== 'AWS::CDK::Metadata').length,
      grants: resources.filter((r) => r.Type === 'AWS::LakeFormation::PrincipalPermissions' || r.Type === 'AWS::LakeFormation::Permissions').length,
      findings: findings.filter((f) => f.stack === s.id).length,
      acknowledgements: acknowledgements.filter((a) => a.stack === s.id).length,
    };
  });
  const sum = (list: readonly StackSummary[], k: 'resources' | 'grants' | 'findings' | 'acknowledgements') => list.reduce((n, s) => n + s[k], 0);
  const accounts: AccountSummary[] = [...new Set(stacks.map((s) => s.account))].sort(compareStrings).map((account) => {
    const list = stacks.filter((s) => s.account === account);
    return { account, stacks: list, resources: sum(list, 'resources'), grants: sum(list, 'grants'), findings: sum(list, 'findings'), acknowledgements: sum(list, 'acknowledgements') };
  });

  const packNames = [...new Set([...KNOWN_PACKS, ...findings.map((f) => f.pack), ...acknowledgements.map((a) => a.pack)])]
    .sort((a, b) => packRank(a) - packRank(b) || compareStrings(a, b));
  const packs: PackSummary[] = packNames.map((pack) => {
    const f = findings.filter((x) => x.pack === pack);
    return {
      pack,
      findings: f.length,
      errors: f.filter((x) => x.severity.toLowerCase() === 'error').length,
      warnings: f.filter((x) => x.severity.toLowerCase() === 'warning').length,
      acknowledgements: acknowledgements.filter((a) => a.pack === pack).length,
    };
  });

  const unresolved = [...new Set(matrix.entries.map((e) => e.principal))].filter((p) => p.startsWith('<'));
  const warnings = [...new Set([
    ...matrix.warnings,
    ...unresolved.map((p) => {
      const grants = [...new Set(matrix.entries.filter((e) => e.principal === p).flatMap((e) => e.via))].sort(compareStrings);
      return `principal ${p} is not a fixed name (a role without RoleName?): the report cannot tell who it is; it is granted by ${grants.join(', ')}`;
    }),
  ])].sort(compareStrings);

  return {
    mesh,
    validationReport,
    failedPlugins,
    stacks,
    accounts,
    packs,
    findings,
    acknowledgements,
    catalog,
    matrix,
    sensitive: { classifications: sensitiveClassifications, readers: sensitiveColumnReaders(catalog, matrix, sensitiveClassifications) },
    domains,
    edges,
    warnings,
    totals: {
      accounts: accounts.length,
      stacks: stacks.length,
      resources: sum(stacks, 'resources'),
      grants: sum(stacks, 'grants'),
      findings: findings.length,
      acknowledgements: acknowledgements.length,
      domains: domains.length,
      products: products.size,
      subscriptions: edges.length,
    },
  };
}

/** Where findings and acknowledgements come from, and what an empty list means. */
export function complianceNote(model: ReportModel): string {
  const source = model.validationReport
    ? `Findings from validation-report.json (${model.failedPlugins.length > 0
      ? `plugins with violations: ${model.failedPlugins.join(', ')}`
      : 'no plugin reported a violation: every registered pack passed, or none was registered'}).`
    : 'The assembly has no validation-report.json (synthesized without validation plugins, or by an older CDK): findings are unknown.';
  const acks = model.acknowledgements.length > 0
    ? 'Acknowledgements from the cdk_nag metadata of each resource (a resource lists the acknowledgements of its parent constructs too).'
    : 'No resource carries cdk_nag acknowledgement metadata: the compliance packs (lib/compliance.ts) were probably not registered for this synth.';
  return `${source} ${acks}`;
}

/** The kind of a stack from its ID, and the domain part of the ID (domain names with `_` become `-` in stack IDs). */
export function kindOf(stackId: string): { kind: ReportStackKind; part?: string } {
  const id = stackId.slice(stackId.lastIndexOf('/') + 1);
  let m: RegExpExecArray | null;
  if (id.startsWith('lakeformation-')) return { kind: 'lakeformation' };
  if (id === 'governance') return { kind: 'governance' };
  if (id.startsWith('access-')) return { kind: 'access' };
  if ((m = /^catalog-(.+?)(?:-\d+)?$/.exec(id))) return { kind: 'catalog', part: m[1] };
  if ((m = /^subscriptions-(.+)$/.exec(id))) return { kind: 'subscriptions', part: m[1] };
  if ((m = /^(.+)-storage$/.exec(id))) return { kind: 'storage', part: m[1] };
  return { kind: 'other' };
}

/** The pack of a rule ID: a known pack whose name prefixes it, else the text before the first `-`. */
export function packOf(ruleId: string): string {
  const id = unqualify(ruleId);
  const known = KNOWN_PACKS.find((p) => id.startsWith(`${p}-`));
  if (known) return known;
  const dash = id.indexOf('-');
  return dash > 0 ? id.slice(0, dash) : 'other';
}

/** `DataMesh::DataMesh-X` (the form the CDK report suggests) → `DataMesh-X`; `Annotation::` prefixes are dropped too. */
function unqualify(id: string): string {
  let rest = id;
  // Only a leading `Name::` before the rule's own dash: `AwsSolutions-IAM5[Resource::*]` keeps its `::`.
  for (let m = /^([^-[\]:]+)::(.+)$/.exec(rest); m; m = /^([^-[\]:]+)::(.+)$/.exec(rest)) rest = m[2];
  return rest;
}

function domainFromPart(part: string, domains: readonly string[]): string {
  return domains.find((d) => d === part) ?? domains.find((d) => d.replace(/_/g, '-') === part) ?? part;
}

/** The domain of a storage stack from its query or writer role name `<mesh>-<domain>-query|writer`. */
function domainOfStorageStack(template: CfnTemplate | undefined, mesh: string): string | undefined {
  const names: string[] = [];
  for (const r of Object.values(template?.Resources ?? {})) {
    const roleName = r.Type === 'AWS::IAM::Role' ? r.Properties?.RoleName : undefined;
    if (typeof roleName !== 'string') continue;
    const m = /^(.+)-(query|writer)$/.exec(roleName);
    if (m && m[1].startsWith(`${mesh}-`)) names.push(m[1].slice(mesh.length + 1));
  }
  return names.sort(compareStrings)[0];
}

/** The domain whose query role `<mesh>-<domain>-query` the principal is. */
export function queryRoleDomain(principal: string, mesh: string, domains: readonly string[]): string | undefined {
  const m = /^arn:[^:]+:iam::\d{12}:role\/(?:[^/]*\/)*([^/]+)$/.exec(principal);
  if (!m) return undefined;
  return domains.find((d) => m[1] === `${mesh}-${d}-query`);
}

function descriptionOf(template: CfnTemplate | undefined, logicalId: string): string | undefined {
  const input = template?.Resources?.[logicalId]?.Properties?.DatabaseInput as { Description?: unknown } | undefined;
  return typeof input?.Description === 'string' ? input.Description : undefined;
}

/** Stack names are `<mesh>-<stack ID>`: the most frequent prefix; else the `mesh` parameter of product databases. */
function meshName(catalog: CatalogModel): string {
  const counts = new Map<string, number>();
  for (const s of catalog.stacks) {
    const id = s.id.slice(s.id.lastIndexOf('/') + 1);
    if (s.stackName.endsWith(`-${id}`) && s.stackName.length > id.length + 1) {
      const prefix = s.stackName.slice(0, s.stackName.length - id.length - 1);
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
  }
  const best = [...counts.entries()].sort(([a, x], [b, y]) => y - x || compareStrings(a, b))[0];
  if (best) return best[0];
  const fromParams = catalog.databases.map((d) => d.parameters.mesh).filter((m): m is string => !!m).sort(compareStrings)[0];
  return fromParams ?? 'data mesh';
}

interface ViolationJson {
  readonly ruleName?: string;
  readonly description?: string;
  readonly severity?: string;
  readonly violatingConstructs?: readonly { readonly constructPath?: string; readonly cloudFormationResource?: { readonly templatePath?: string; readonly logicalId?: string } }[];
  readonly violatingResources?: readonly { readonly resourceLogicalId?: string; readonly templatePath?: string }[];
}

/** The violations of `validation-report.json` (current and legacy layout), one finding per violating construct. */
function readFindings(file: string, stacks: readonly { id: string; path: string; templateFile: string }[]): Finding[] {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    pluginReports?: readonly { pluginName?: string; summary?: { pluginName?: string }; violations?: readonly ViolationJson[] }[];
  };
  const byPath = [...stacks].sort((a, b) => b.path.length - a.path.length);
  const stackOf = (constructPath: string, templatePath?: string): string | undefined => {
    if (templatePath) {
      const base = path.basename(templatePath);
      const s = stacks.find((x) => path.basename(x.templateFile) === base);
      if (s) return s.id;
    }
    return byPath.find((s) => constructPath === s.path || constructPath.startsWith(`${s.path}/`))?.id;
  };
  const out: Finding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    const pluginName = plugin.pluginName ?? plugin.summary?.pluginName;
    for (const v of plugin.violations ?? []) {
      const rule = v.ruleName ?? '?';
      const pack = KNOWN_PACKS.includes(pluginName ?? '') ? pluginName! : packOf(rule);
      const base = { pack, rule, severity: (v.severity ?? 'error').toLowerCase(), description: v.description ?? '' };
      const constructs = v.violatingConstructs ?? [];
      if (constructs.length > 0) {
        for (const c of constructs) {
          const constructPath = c.constructPath ?? c.cloudFormationResource?.logicalId ?? '?';
          const stack = stackOf(constructPath, c.cloudFormationResource?.templatePath);
          out.push({ ...base, constructPath, ...(stack !== undefined ? { stack } : {}) });
        }
      } else {
        for (const r of v.violatingResources ?? []) {
          const stack = stackOf('', r.templatePath);
          const constructPath = `${stack !== undefined ? stacks.find((s) => s.id === stack)!.path : r.templatePath ?? '?'}/${r.resourceLogicalId ?? '?'}`;
          out.push({ ...base, constructPath, ...(stack !== undefined ? { stack } : {}) });
        }
      }
    }
  }
  return out;
}
