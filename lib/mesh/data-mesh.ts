import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, IConstruct } from 'constructs';
import { CatalogShard } from '../../constructs/catalog-shard';
import { ConsumerAccess, ProductReader, RegrantedProduct, SubscribedProduct } from '../../constructs/consumer-access';
import { DataDomain, DomainRole } from '../../constructs/data-domain';
import { contractProductProps, DataProduct, DataProductProps, ProductStorage } from '../../constructs/data-product';
import { LakeFormationSettings } from '../../constructs/lake-formation-settings';
import { MeshGovernance } from '../../constructs/mesh-governance';
import { ProducerLocationAccess } from '../../constructs/producer-location-access';
import { acknowledge } from '../private/nag';
import { RegistrationRole } from '../private/registration-role';
import type { ContractProductSpec } from '../contracts/map';
import { CLASSIFICATION_TAG_KEY, DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION, TARGET_MAX_RESOURCES_PER_STACK } from '../defaults';
import { DataMeshValidationError, formatProblem } from '../errors';
import { readGrants } from '../private/lf-grants';
import { DataFormat, TableSpec } from '../table-schema';
import { hasContractProducts, rememberedResolution, resolveContracts, ResolvedContracts } from './contracts';
import type { DomainDefinition, MeshDefinition, ProductDefinition } from './definition';
import { ResolvedSubscription, resolveSubscriptions } from './subscriptions';

/**
 * What the mesh is built from. A {@link LoadedMesh} (see `loadMeshDefinition`) fits as a whole; `definition` and
 * `warnings` alone work too.
 */
export interface DataMeshProps {
  /** The validated mesh definition (see `loadMeshDefinition`), contract products as written or expanded. */
  readonly definition: MeshDefinition;
  /** Warnings of the loader, shown as CDK warnings on the governance stack (contract warnings on their products). @default - none */
  readonly warnings?: readonly { readonly id: string; readonly message: string }[];
  /**
   * The definition with its contract products expanded (`LoadedMesh.resolved`); used instead of `definition`.
   * @default - `definition`, its contract products expanded
   */
  readonly resolved?: MeshDefinition;
  /**
   * What the contracts of the contract products define, by `<domain>.<product>` (`LoadedMesh.contracts`): the
   * products get their quality rulesets, freshness alarm, retention, support addresses and parameters from these.
   * @default - the loader's when `definition` comes from `loadMeshDefinition`; otherwise the contracts are read
   * relative to {@link contractBaseDir}
   */
  readonly contracts?: Readonly<Record<string, ContractProductSpec>>;
  /**
   * Folder that `contract` paths are relative to, when the contracts are read here.
   * @default - the current working directory
   */
  readonly contractBaseDir?: string;
}

/** What one stack of the mesh is for (ARCHITECTURE section 2; access stacks are per account). */
export type MeshStackKind = 'lakeformation' | 'storage' | 'governance' | 'catalog' | 'subscriptions' | 'access';

export interface MeshStackInfo {
  readonly kind: MeshStackKind;
  readonly stack: Stack;
  /** Domain the stack belongs to (storage, catalog, subscriptions, access). */
  readonly domain?: string;
}

/**
 * Builds the stacks of a mesh from its definition, in deploy order, expressed as stack dependencies:
 * `lakeformation-<account>-<region>` → `<domain>-storage` → `governance` → `catalog-<domain>[-N]` →
 * `subscriptions-<consumer>` → `access-<account>-<region>`. Everything one account needs from another is a
 * deterministic name, never a token. Construct IDs derive from names only, so reordering `mesh.yaml`
 * changes no logical ID.
 */
export class DataMesh {
  /** The definition the mesh is built from, contract products expanded (their `contract` kept). */
  public readonly definition: MeshDefinition;
  /** What the contracts of the contract products define, by `<domain>.<product>`. */
  public readonly contracts: Readonly<Record<string, ContractProductSpec>>;
  public readonly governance: MeshGovernance;
  /** Every stack, by stack ID. */
  public readonly stacks = new Map<string, MeshStackInfo>();
  public readonly domains = new Map<string, DataDomain>();
  /** Products by `<domain>.<product>`. */
  public readonly products = new Map<string, DataProduct>();
  public readonly subscriptions: readonly ResolvedSubscription[];
  public readonly settings = new Map<string, LakeFormationSettings>();
  private readonly scope: Construct;

  constructor(scope: Construct, props: DataMeshProps) {
    this.scope = scope;
    const { definition: def, contracts } = meshInput(props);
    checkProductNames(def);
    this.definition = def;
    this.contracts = contracts;
    // Contract warnings are shown on their products; the loader's copies are not repeated on the governance stack.
    const onProducts = new Set(Object.values(contracts).flatMap((s) => s.warnings.map((w) => `${w.id}\n${w.message}`)));
    const gov = def.governance;
    const classificationValues = def.tags?.[CLASSIFICATION_TAG_KEY];
    const customTags = Object.fromEntries(Object.entries(def.tags ?? {}).filter(([k]) => k !== CLASSIFICATION_TAG_KEY));
    const domains = [...def.domains].sort((a, b) => a.name.localeCompare(b.name));

    // 1. Lake Formation settings, one per account and region.
    const envs = new Map<string, { account: string; region: string }>();
    for (const e of [gov, ...domains]) envs.set(envId(e), { account: e.account, region: e.region });
    for (const [key, env] of [...envs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const stack = this.addStack(`lakeformation-${key}`, 'lakeformation', env, `Lake Formation settings of ${env.account} in ${env.region}`);
      const admins = (def.lakeFormation?.adminRoleNames ?? []).map((name) => iam.Role.fromRoleName(stack, `Admin-${name}`, name));
      this.settings.set(key, new LakeFormationSettings(stack, 'Settings', {
        meshName: def.name,
        admins,
        crossAccountVersion: def.lakeFormation?.crossAccountVersion,
      }));
    }

    // 2. Governance: ontology, registration role, catalog encryption, audit.
    const govStack = this.addStack('governance', 'governance', gov, `Governance of mesh ${def.name}: LF-tags, registration role, catalog encryption, audit trail`);
    govStack.addStackDependency(this.lakeFormationStack(gov));
    this.governance = new MeshGovernance(govStack, 'Governance', {
      meshName: def.name,
      classificationValues,
      tags: customTags,
      lakeFormationSettings: this.settingsOf(gov),
    });
    for (const w of props.warnings ?? []) if (!onProducts.has(`${w.id}\n${w.message}`)) Annotations.of(govStack).addWarningV2(w.id, w.message);
    // Every domain is a value of the `domain` LF-tag, so that any subscription expression naming it is grantable.
    for (const d of domains) this.governance.ontology.addDomain(d.name);

    // 3. Domains and their products; the products' catalog halves go to the governance account's shards.
    for (const d of domains) {
      const stack = this.addStack(`${stackPart(d.name)}-storage`, 'storage', d, `Data domain ${d.name}: key, storage, Athena workgroup, roles`, d.name);
      stack.addStackDependency(this.lakeFormationStack(d));
      const domain = new DataDomain(stack, 'Domain', {
        meshName: def.name,
        domainName: d.name,
        role: d.role as DomainRole,
        description: d.description,
        catalogAccount: gov.account,
        bytesScannedCutoffPerQuery: d.bytesScannedCutoffPerQuery ?? def.defaults?.bytesScannedCutoffPerQuery,
        lakeFormationSettings: this.settingsOf(d),
      });
      this.domains.set(d.name, domain);
      this.governance.allowCatalogKeyUse(d.account);
      this.addProducts(d, domain, stack);
    }

    // 4. Subscriptions: grants in the governance account, links in the consumers' accounts.
    this.subscriptions = resolveSubscriptions(def);
    this.addSubscriptions();
    this.addAccessStacks();
    this.checkGrantCollisions();
    this.checkStackSizes();
  }

  /** The stacks of one kind, sorted by stack ID. */
  public stacksOf(kind: MeshStackKind): Stack[] {
    return [...this.stacks.values()].filter((s) => s.kind === kind).map((s) => s.stack).sort((a, b) => a.node.id.localeCompare(b.node.id));
  }

  private addStack(id: string, kind: MeshStackKind, env: { account: string; region: string }, description: string, domain?: string): Stack {
    const stack = new Stack(this.scope, id, {
      env: { account: env.account, region: env.region },
      stackName: `${this.definition.name}-${id}`,
      description: `cdk-data-mesh ${this.definition.name}: ${description}`,
    });
    this.stacks.set(id, { kind, stack, domain });
    return stack;
  }

  private lakeFormationStack(e: { account: string; region: string }): Stack {
    return this.stacks.get(`lakeformation-${envId(e)}`)!.stack;
  }

  private settingsOf(e: { account: string; region: string }): LakeFormationSettings {
    return this.settings.get(envId(e))!;
  }

  private addProducts(d: DomainDefinition, domain: DataDomain, storageStack: Stack): void {
    const products = [...(d.products ?? [])].map(complete).sort((a, b) => a.name.localeCompare(b.name));
    if (products.length === 0) return;
    const shards = assignShards(products, (p) => estimateCatalogResources(p, this.contracts[`${d.name}.${p.name}`]?.quality));
    if (shards.auto) {
      Annotations.of(storageStack).addWarningV2('cdk-data-mesh:catalog-shard-auto',
        `The catalog of domain ${d.name} needs ${shards.count} stacks; products without catalogShard were placed automatically by name. ` +
        'Adding a product can then move others between shards (a replacement): pin every product with catalogShard.');
    }
    const shardConstructs = new Map<number, CatalogShard>();
    const shardOf = (n: number): CatalogShard => {
      const existing = shardConstructs.get(n);
      if (existing) return existing;
      const id = n === 1 ? `catalog-${stackPart(d.name)}` : `catalog-${stackPart(d.name)}-${n}`;
      const stack = this.addStack(id, 'catalog', this.definition.governance, `Catalog of domain ${d.name}${n > 1 ? ` (shard ${n})` : ''}`, d.name);
      stack.addStackDependency(this.stacks.get('governance')!.stack);
      stack.addStackDependency(storageStack);
      const shard = new CatalogShard(stack, 'Catalog', { domainName: d.name });
      shardConstructs.set(n, shard);
      return shard;
    };
    // The domain's Lake Formation registration role lives in its first catalog stack, whatever shards its products
    // use, so that adding or moving products never moves the (named) role between stacks.
    const first = shardOf(1);
    RegistrationRole.of(first, { meshName: this.definition.name, domainName: d.name, producerAccount: d.account }, first);
    for (const p of products) {
      const key = `${d.name}.${p.name}`;
      const spec = this.contracts[key];
      const common = {
        domain,
        governance: this.governance,
        storage: p.storage as ProductStorage | undefined,
        catalog: shardOf(shards.of.get(p.name)!),
        queryRoleMaxClassification: d.queryRoleMaxClassification ?? this.definition.defaults?.queryRoleMaxClassification,
      };
      const props: DataProductProps = spec
        // The contract gives quality rulesets, freshness, retention, support addresses and parameters besides the tables.
        ? { ...common, ...contractProductProps(spec), productName: p.name }
        : {
          ...common,
          productName: p.name,
          description: p.description,
          owner: p.owner,
          contact: p.contact,
          classification: p.classification,
          tags: p.tags,
          // Checked by DataProduct: a definition that did not go through the loader may lack them.
          tables: p.tables?.map(toTableSpec) as TableSpec[],
        };
      const product = new DataProduct(storageStack, `Product-${p.name}`, props);
      for (const w of spec?.warnings ?? []) Annotations.of(product).addWarningV2(w.id, w.message);
      this.products.set(key, product);
    }
  }

  private addSubscriptions(): void {
    const gov = this.definition.governance;
    const byConsumer = new Map<string, ResolvedSubscription[]>();
    for (const s of this.subscriptions) byConsumer.set(s.consumer, [...(byConsumer.get(s.consumer) ?? []), s]);
    for (const consumerName of [...byConsumer.keys()].sort()) {
      const consumer = this.domains.get(consumerName)!;
      const consumerDef = this.definition.domains.find((d) => d.name === consumerName)!;
      const stack = this.addStack(`subscriptions-${stackPart(consumerName)}`, 'subscriptions', gov, `Grants of the subscriptions of domain ${consumerName}`, consumerName);
      stack.addStackDependency(this.stacks.get('governance')!.stack);
      stack.addStackDependency(this.stacks.get(`${stackPart(consumerName)}-storage`)!.stack);
      const subs = [...byConsumer.get(consumerName)!].sort((a, b) => a.id.localeCompare(b.id));
      checkNoCollidingGrants(consumerName, subs);
      for (const s of subs) {
        const toAccount = s.grantToAccount && consumerDef.account !== gov.account;
        const principal = toAccount ? consumerDef.account : consumer.queryRoleArn;
        const holder = new Construct(stack, `Subscription-${s.id}`);
        if (s.kind === 'expression') {
          const grants = this.governance.grantToConsumer({ scope: holder, id: '', expression: s.expression!, principal, grantOption: toAccount });
          if (toAccount) acknowledgeGrantToAccount(grants, s, consumerDef.account);
          continue;
        }
        for (const key of s.products) {
          const product = this.products.get(key)!;
          stack.addStackDependency(Stack.of(product.catalog));
          const grants = readGrants(holder, `${key}-`, {
            principal,
            catalogId: gov.account,
            databaseName: product.databaseName,
            tables: product.tables,
            productClassification: product.classification,
            allowedClassifications: this.governance.ontology.classificationsUpTo(s.maxClassification ?? DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION),
            after: [this.settingsOf(gov)],
            grantOption: toAccount,
          });
          if (toAccount) acknowledgeGrantToAccount(grants, s, consumerDef.account);
        }
      }
    }
  }

  /**
   * One access stack per account (other than the governance account) whose domains read products: a catalog
   * holds each resource link name once, so the domains of an account share the links.
   */
  private addAccessStacks(): void {
    const gov = this.definition.governance;
    const ontology = this.governance.ontology;
    const byAccount = new Map<string, DomainDefinition[]>();
    for (const d of [...this.definition.domains].sort((a, b) => a.name.localeCompare(b.name))) {
      if (d.account === gov.account) continue;
      byAccount.set(envId(d), [...(byAccount.get(envId(d)) ?? []), d]);
    }
    for (const [key, domains] of [...byAccount.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const readers: ProductReader[] = [];
      for (const d of domains) {
        const own = (d.products ?? []).map((p) => `${d.name}.${p.name}`);
        const subs = this.subscriptions.filter((s) => s.consumer === d.name);
        const linked = [...new Set([...own, ...subs.flatMap((s) => s.products)])].sort();
        // The account holds, with the grant option, the union of what its grantToAccount subscriptions allow on
        // each product: one set of re-grants per product, allowing every classification any of them allows.
        const allowedByProduct = new Map<string, Set<string>>();
        for (const sub of subs.filter((x) => x.grantToAccount)) {
          const allowed = sub.kind === 'products'
            ? ontology.classificationsUpTo(sub.maxClassification)
            : sub.expression![CLASSIFICATION_TAG_KEY] ?? ontology.classificationValues;
          for (const p of sub.products.filter((x) => !own.includes(x))) {
            allowedByProduct.set(p, new Set([...(allowedByProduct.get(p) ?? []), ...allowed]));
          }
        }
        const regrants: RegrantedProduct[] = [...allowedByProduct.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, allowed]) => {
          const product = this.products.get(p)!;
          return {
            ...toRef(p), tables: product.tables, productClassification: product.classification,
            allowedClassifications: ontology.classificationValues.filter((v) => allowed.has(v)),
          };
        });
        if (linked.length > 0 || regrants.length > 0) readers.push({ domain: this.domains.get(d.name)!, products: linked.map(toRef), regrants });
      }
      if (readers.length === 0) continue;
      const env = { account: domains[0].account, region: domains[0].region };
      const stack = this.addStack(`access-${key}`, 'access', env, `Resource links and grants of the domains of ${env.account} to the products they read`);
      stack.addStackDependency(this.lakeFormationStack(env));
      for (const r of readers) {
        stack.addStackDependency(this.stacks.get(`${stackPart(r.domain.domainName)}-storage`)!.stack);
        const subStack = this.stacks.get(`subscriptions-${stackPart(r.domain.domainName)}`);
        if (subStack) stack.addStackDependency(subStack.stack);
        for (const p of [...r.products, ...(r.regrants ?? [])]) {
          stack.addStackDependency(Stack.of(this.products.get(`${p.domainName}.${p.productName}`)!.catalog));
        }
      }
      const access = new ConsumerAccess(stack, 'Access', {
        readers,
        governanceAccount: gov.account,
        governanceRegion: gov.region,
        sharedOrganization: this.definition.sharedOrganization,
        lakeFormationSettings: this.settingsOf(env),
      });
      // Writers of the account's producing domains get DATA_LOCATION_ACCESS from the account's administrator.
      for (const d of domains) {
        const products = [...this.products.values()].filter((p) => p.domain.domainName === d.name);
        if (products.length === 0) continue;
        new ProducerLocationAccess(stack, `Locations-${d.name}`, {
          domain: this.domains.get(d.name)!,
          products,
          catalogAccount: gov.account,
          after: access.invitationAcceptance ? [access.invitationAcceptance] : [],
          lakeFormationSettings: this.settingsOf(env),
        });
      }
    }
  }

  /**
   * Two Lake Formation grants with the same principal and resource in one account collide at deploy
   * (`AlreadyExists`); find them at synth, with both construct paths.
   */
  private checkGrantCollisions(): void {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const [, info] of [...this.stacks.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const visit = (c: IConstruct) => {
        if (c instanceof lakeformation.CfnPrincipalPermissions) {
          // The resource names its catalog, so the key is account-independent: a re-grant in a consumer account
          // and a grant in the governance account to the same principal on the same resource are one permission.
          const key = `${JSON.stringify(info.stack.resolve(c.principal))}|${JSON.stringify(info.stack.resolve(c.resource))}`;
          const other = seen.get(key);
          if (other) {
            problems.push(`\`${c.node.path}\` must not repeat the grant of ${other} (same principal and resource), got: ${JSON.stringify(info.stack.resolve(c.resource))}. `
              + 'Subscribe to each product once per consumer: remove the overlap between the subscriptions.');
          } else {
            seen.set(key, c.node.path);
          }
        }
        for (const child of c.node.children) visit(child);
      };
      visit(info.stack);
    }
    if (problems.length > 0) throw new DataMeshValidationError(`mesh ${this.definition.name}`, problems);
  }

  /** CloudFormation fails at 500 resources per stack; the mesh keeps every stack within its 400 target. */
  private checkStackSizes(): void {
    const problems: string[] = [];
    for (const [id, info] of [...this.stacks.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const count = countResources(info.stack);
      if (count > TARGET_MAX_RESOURCES_PER_STACK) {
        problems.push(`\`${id}\` must stay within ${TARGET_MAX_RESOURCES_PER_STACK} resources (CloudFormation's limit is 500), got: ${count}. ` +
          (info.kind === 'catalog' ? 'Pin products of the domain to more catalog shards with catalogShard.' : 'Split the domain into smaller domains.'));
      }
    }
    if (problems.length > 0) throw new DataMeshValidationError(`mesh ${this.definition.name}`, problems);
  }
}

/** Counts the CloudFormation resources a stack will contain. */
export function countResources(stack: Stack): number {
  let n = 0;
  const visit = (c: IConstruct) => {
    if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) n++;
    for (const child of c.node.children) if (!Stack.isStack(child)) visit(child);
  };
  visit(stack);
  return n;
}

/**
 * Estimated resources of a product's catalog half (mirrors ProductCatalog), with its data quality rulesets
 * (from its contract) when it has some.
 */
export function estimateCatalogResources(p: ProductDefinition, quality: readonly { readonly table: string }[] = []): number {
  let n = 1 /* registration */ + 1 /* database */ + 1 /* database tags */ + 3 /* writer grants */ + 1 /* query database grant */;
  for (const t of p.tables ?? []) {
    const classified = new Set(t.columns.map((c) => c.classification).filter((c) => c !== undefined));
    n += 1 /* table */ + (t.classification ? 1 : 0) + classified.size + (classified.size > 0 ? 2 : 1);
  }
  if (quality.length > 0) {
    n += 4 /* evaluation and scheduler roles and policies */ + 1 /* quality database grant */ + quality.length * 4 /* table grants, ruleset, schedule */;
  }
  return n;
}

/** Shard headroom for the handful of resources a shard adds besides products. */
const SHARD_CAPACITY = TARGET_MAX_RESOURCES_PER_STACK - 10;

function assignShards(products: readonly CompleteProduct[], estimate: (p: CompleteProduct) => number): { of: Map<string, number>; count: number; auto: boolean } {
  const of = new Map<string, number>();
  const load = new Map<number, number>();
  for (const p of products) {
    if (p.catalogShard === undefined) continue;
    of.set(p.name, p.catalogShard);
    load.set(p.catalogShard, (load.get(p.catalogShard) ?? 0) + estimate(p));
  }
  const unpinned = products.filter((p) => p.catalogShard === undefined);
  const total = unpinned.reduce((n, p) => n + estimate(p), 0) + (load.get(1) ?? 0);
  let shard = 1;
  for (const p of unpinned) {
    const size = estimate(p);
    while ((load.get(shard) ?? 0) + size > SHARD_CAPACITY && (load.get(shard) ?? 0) > 0) shard++;
    of.set(p.name, shard);
    load.set(shard, (load.get(shard) ?? 0) + size);
  }
  const count = Math.max(...of.values());
  return { of, count, auto: unpinned.length > 0 && total > SHARD_CAPACITY };
}

function checkNoCollidingGrants(consumer: string, subs: readonly ResolvedSubscription[]): void {
  // Two grants with the same principal and resource collide in Lake Formation.
  const problems: string[] = [];
  const expressions = new Map<string, string>();
  const named = new Map<string, string>();
  for (const s of subs) {
    if (s.kind === 'expression') {
      const canonical = JSON.stringify(Object.keys(s.expression!).sort().map((k) => [k, [...s.expression![k]].sort()]));
      if (expressions.has(canonical)) {
        problems.push(`\`subscriptions\` of ${consumer} must not repeat an expression, got: "${s.id}" and "${expressions.get(canonical)}". Remove one of them.`);
      }
      expressions.set(canonical, s.id);
    } else {
      for (const p of s.products) {
        if (named.has(p)) {
          problems.push(`\`subscriptions\` of ${consumer} must list each product once, got: ${p} in "${s.id}" and "${named.get(p)}". Remove it from one of them.`);
        }
        named.set(p, s.id);
      }
    }
  }
  if (problems.length > 0) throw new DataMeshValidationError(`subscriptions of ${consumer}`, problems);
}

function toTableSpec(t: NonNullable<ProductDefinition['tables']>[number]): TableSpec {
  return { ...t, format: t.format as DataFormat | undefined };
}

/** A product of a resolved definition: contract products are expanded, so every product has a name. */
type CompleteProduct = ProductDefinition & Required<Pick<ProductDefinition, 'name' | 'description' | 'owner'>>;

function complete(p: ProductDefinition): CompleteProduct {
  return p as CompleteProduct;
}

/** Names are what the mesh is built around; a definition that did not go through the loader may lack one. */
function checkProductNames(def: MeshDefinition): void {
  const problems: string[] = [];
  def.domains.forEach((d, i) => (d.products ?? []).forEach((p, j) => {
    if (typeof p.name === 'string') return;
    problems.push(formatProblem({
      field: `domains[${i}].products[${j}].name`, rule: 'is required in a product defined without a contract', got: p.name,
      fix: 'Add e.g. name: orders, or define the product by a contract: contract: contracts/orders.odcs.yaml.',
    }));
  }));
  if (problems.length > 0) throw new DataMeshValidationError(`mesh ${def.name}`, problems);
}

/**
 * The definition to build, contract products expanded, and the specs of their contracts: given by the caller
 * (`LoadedMesh.resolved`/`contracts`), remembered by the loader for the definition it returned, or read here.
 */
function meshInput(props: DataMeshProps): ResolvedContracts {
  const base = props.resolved ?? props.definition;
  if (!hasContractProducts(base)) return { definition: base, contracts: props.contracts ?? {} };
  const remembered = rememberedResolution(props.definition);
  if (!props.contracts && remembered) return remembered;
  const given = props.contracts;
  const expanded = base.domains.every((d) => (d.products ?? [])
    .every((p) => p.contract === undefined || (p.name !== undefined && p.tables !== undefined && given?.[`${d.name}.${p.name}`] !== undefined)));
  if (given && expanded) return { definition: base, contracts: given };
  const resolved = resolveContracts(base, props.contractBaseDir ?? '.');
  return { definition: resolved.definition, contracts: { ...resolved.contracts, ...given } };
}

/**
 * A subscription with `grantToAccount` grants with the grant option, by the mesh's explicit choice: acknowledged on
 * each of its grants (DataMesh-LakeFormationNoGrantOption), so that the opt-in synthesizes under the packs.
 */
function acknowledgeGrantToAccount(grants: readonly IConstruct[], s: ResolvedSubscription, account: string): void {
  for (const g of grants) {
    acknowledge(g, ['DataMesh-LakeFormationNoGrantOption'],
      `Subscription "${s.id}" of domain ${s.consumer} sets grantToAccount: account ${account} holds these permissions with the grant option, `
      + 'and its administrator re-grants to the consumer\'s query role exactly what the subscription allows (access stack of that account).');
  }
}

function toRef(key: string): SubscribedProduct {
  const [domainName, productName] = key.split('.');
  return { domainName, productName };
}

function envId(e: { account: string; region: string }): string {
  return `${e.account}-${e.region}`;
}

/** Stack IDs use hyphens; domain names may contain underscores. */
function stackPart(name: string): string {
  return name.replace(/_/g, '-');
}

