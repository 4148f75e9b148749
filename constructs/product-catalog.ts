import { Annotations, ArnFormat, Aws, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { CLASSIFICATION_TAG_KEY, DEFAULT_QUALITY_SCHEDULE, DOMAIN_TAG_KEY } from '../lib/defaults';
import { GLUE_QUALITY_LOG_ACTIONS, GLUE_QUALITY_RUN_ACTIONS, GLUE_QUALITY_START_ACTIONS, LF_DATA_ACCESS_ACTIONS } from '../lib/perms';
import { acknowledge, acknowledgeWildcardResources } from '../lib/private/nag';
import { RegistrationRole } from '../lib/private/registration-role';
import { catalogKeyStatement } from '../lib/private/catalog-key';
import { catalogKeyAlias, productDatabaseName } from '../lib/naming';
import { lfGrant, readGrants } from '../lib/private/lf-grants';
import { CSV_LAZY_SIMPLE_FORMAT, CSV_LAZY_SIMPLE_SERDE_WARNING, DataFormat, TableSpec, csvLazySimpleSerdeWarning, projectionParameters, storageFormatOf } from '../lib/table-schema';
import { normalizeGlueType } from '../lib/contracts/glue-types';
import { LakeFormationSettings } from './lake-formation-settings';
import { LfTagOntology } from './lf-tag-ontology';

/** Where a product's data lives: a bucket and an optional prefix inside it. */
export interface ProductLocation {
  readonly bucketName: string;
  /** Prefix without leading or trailing slash. @default - the bucket root */
  readonly prefix?: string;
}

/** Everything the catalog half of a product needs, by name only (it may live in another account). */
export interface ProductCatalogProps {
  readonly meshName: string;
  readonly domainName: string;
  readonly productName: string;
  readonly description: string;
  readonly owner: string;
  /** @default - none */
  readonly contact?: string;
  readonly classification: string;
  /** Further LF-tags (key = value) on the product database. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Extra database parameters shown in the catalog (SLA, version...). @default - none */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly tables: readonly TableSpec[];
  readonly location: ProductLocation;
  /** Account that owns the product's storage. */
  readonly producerAccount: string;
  /** ARN of the producing domain's writer role (pipelines). */
  readonly writerRoleArn: string;
  /** ARN of the producing domain's query role. */
  readonly queryRoleArn: string;
  /** Columns classified above this are excluded from the query role's grants. */
  readonly queryRoleMaxClassification: string;
  readonly ontology: LfTagOntology;
  /** Already resolved by the product (two-key destroy). */
  readonly removalPolicy: RemovalPolicy;
  /** @default - the settings registered for this stack's account and region */
  readonly lakeFormationSettings?: LakeFormationSettings;
  /** Glue Data Quality rulesets (DQDL) per table. @default - none */
  readonly quality?: readonly ProductQuality[];
  /** When the rulesets are evaluated. @default DEFAULT_QUALITY_SCHEDULE */
  readonly qualitySchedule?: string;
}

/** The role that evaluates a product's data quality rulesets: `<mesh>-<domain>-<product>-dq`. */
export function qualityRoleName(mesh: string, domain: string, product: string): string {
  return `${mesh}-${domain}-${product}-dq`;
}

/** The Glue Data Quality ruleset of one table of a product. */
export interface ProductQuality {
  readonly table: string;
  /** A DQDL ruleset: `Rules = [ ... ]`. */
  readonly dqdl: string;
}

/**
 * The catalog half of a data product, in the account that governs the catalog: the Lake Formation
 * registration of the product location (with a user-defined role), the Glue database and tables, their
 * LF-tags, and the Lake Formation grants of the producing domain's writer and query roles.
 *
 * Normally created by {@link DataProduct}; it takes names rather than constructs because it often lives in
 * another account than the product's storage.
 */
export class ProductCatalog extends Construct {
  public readonly databaseName: string;
  public readonly catalogId: string;
  public readonly database: glue.CfnDatabase;
  public readonly tables: ReadonlyMap<string, glue.CfnTable>;
  public readonly registration: lakeformation.CfnResource;
  /** Every grant this construct made, in chain order. */
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];
  /** Every tag association this construct made. */
  public readonly tagAssociations: readonly lakeformation.CfnTagAssociation[];
  /** `s3://bucket[/prefix]` without trailing slash. */
  public readonly locationUri: string;
  /** `arn:<partition>:s3:::bucket[/prefix]`: the registered location. */
  public readonly locationArn: string;
  /** The role Lake Formation uses for the location (one per producing domain). */
  public readonly registrationRole: RegistrationRole;
  public readonly settings: LakeFormationSettings;
  /** Data quality rulesets by table name. */
  public readonly rulesets: ReadonlyMap<string, glue.CfnDataQualityRuleset> = new Map();
  private readonly grantList: lakeformation.CfnPrincipalPermissions[] = [];
  private readonly associationList: lakeformation.CfnTagAssociation[] = [];

  constructor(scope: Construct, id: string, props: ProductCatalogProps) {
    super(scope, id);
    this.catalogId = Stack.of(this).account;
    this.settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, `the catalog of product "${props.productName}"`);
    this.databaseName = productDatabaseName(props.domainName, props.productName);
    const prefix = props.location.prefix ? `/${props.location.prefix}` : '';
    this.locationUri = `s3://${props.location.bucketName}${prefix}`;
    const locationArn = `arn:${Aws.PARTITION}:s3:::${props.location.bucketName}${prefix}`;
    this.locationArn = locationArn;

    this.registrationRole = RegistrationRole.of(this, { meshName: props.meshName, domainName: props.domainName, producerAccount: props.producerAccount });
    this.registrationRole.addLocation(props.location.bucketName, props.location.prefix);
    this.registration = new lakeformation.CfnResource(this, 'Registration', {
      resourceArn: locationArn,
      useServiceLinkedRole: false,
      roleArn: this.registrationRole.roleArn,
      hybridAccessEnabled: false,
    });
    this.registration.node.addDependency(this.settings);
    // Lake Formation checks the role when the location is registered: it must exist, with its policies.
    if (Stack.of(this.registrationRole) === Stack.of(this)) this.registration.node.addDependency(this.registrationRole);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.catalogId,
      databaseInput: {
        name: this.databaseName,
        description: props.description,
        locationUri: `${this.locationUri}/`,
        // Empty: new tables must not grant IAM_ALLOWED_PRINCIPALS, or tag-based sharing silently does nothing.
        createTableDefaultPermissions: [],
        parameters: {
          ...props.parameters,
          'data_product': 'true',
          'mesh': props.meshName,
          'domain': props.domainName,
          'product': props.productName,
          'owner': props.owner,
          ...(props.contact !== undefined ? { contact: props.contact } : {}),
          'classification_level': props.classification,
          'producer_account': props.producerAccount,
        },
      },
    });
    this.database.applyRemovalPolicy(props.removalPolicy);
    this.database.node.addDependency(this.settings);
    this.database.addResourceDependency(this.registration);

    const tables = new Map<string, glue.CfnTable>();
    for (const t of props.tables) tables.set(t.name, this.createTable(t, props.removalPolicy));
    this.tables = tables;

    this.tagDatabase(props);
    for (const t of props.tables) this.tagTable(t, props.ontology);
    this.grantWriter(props, locationArn);
    this.grantQueryRole(props);
    if ((props.quality ?? []).length > 0) this.addQuality(props);
    this.grants = this.grantList;
    this.tagAssociations = this.associationList;
  }

  private createTable(t: TableSpec, removalPolicy: RemovalPolicy): glue.CfnTable {
    const format = storageFormatOf(t);
    const partitionKeys = t.partitionKeys ?? [];
    const location = `${this.locationUri}/${t.name}`;
    const toColumn = (name: string) => {
      const col = t.columns.find((x) => x.name === name)!;
      // Canonical Hive names at every depth (`integer` → `int`): Athena fails on a table that uses an alias.
      return { name: col.name, type: normalizeGlueType(col.type) ?? col.type.trim().toLowerCase(), ...(col.comment !== undefined ? { comment: col.comment } : {}) };
    };
    const table = new glue.CfnTable(this, `Table-${t.name}`, {
      catalogId: this.catalogId,
      databaseName: this.databaseName,
      tableInput: {
        name: t.name,
        description: t.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          ...t.parameters,
          EXTERNAL: 'TRUE',
          // Glue's `classification` parameter names the file format; data sensitivity lives in LF-tags.
          classification: t.format ?? DataFormat.PARQUET,
          ...format.tableParameters,
          ...projectionParameters(t, location),
        },
        // Athena requires PartitionKeys to be present, even when empty.
        partitionKeys: partitionKeys.map(toColumn),
        storageDescriptor: {
          location: `${location}/`,
          columns: t.columns.filter((col) => !partitionKeys.includes(col.name)).map((col) => toColumn(col.name)),
          inputFormat: format.inputFormat,
          outputFormat: format.outputFormat,
          compressed: false,
          storedAsSubDirectories: false,
          serdeInfo: { serializationLibrary: format.serializationLibrary, parameters: { ...format.serdeParameters } },
        },
      },
    });
    if (format === CSV_LAZY_SIMPLE_FORMAT) Annotations.of(table).addWarningV2(CSV_LAZY_SIMPLE_SERDE_WARNING, csvLazySimpleSerdeWarning(t));
    table.applyRemovalPolicy(removalPolicy);
    table.addResourceDependency(this.database);
    return table;
  }

  private tagDatabase(props: ProductCatalogProps): void {
    const tags: Record<string, string> = {
      [DOMAIN_TAG_KEY]: props.domainName,
      [CLASSIFICATION_TAG_KEY]: props.classification,
      ...props.tags,
    };
    this.associate('Tags', { database: { catalogId: this.catalogId, name: this.databaseName } }, tags, props.ontology, this.database);
  }

  private tagTable(t: TableSpec, ontology: LfTagOntology): void {
    const table = this.tables.get(t.name)!;
    if (t.classification !== undefined) {
      this.associate(`Tags-${t.name}`, { table: { catalogId: this.catalogId, databaseName: this.databaseName, name: t.name } },
        { [CLASSIFICATION_TAG_KEY]: t.classification }, ontology, table);
    }
    // One association per classification value: a resource carries one value per key.
    const byValue = new Map<string, string[]>();
    for (const col of t.columns) {
      if (col.classification === undefined) continue;
      byValue.set(col.classification, [...(byValue.get(col.classification) ?? []), col.name]);
    }
    for (const [value, columns] of [...byValue.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      this.associate(`Tags-${t.name}-${value}`, {
        tableWithColumns: { catalogId: this.catalogId, databaseName: this.databaseName, name: t.name, columnNames: columns },
      }, { [CLASSIFICATION_TAG_KEY]: value }, ontology, table);
    }
  }

  private associate(id: string, resource: lakeformation.CfnTagAssociation.ResourceProperty, tags: Record<string, string>,
    ontology: LfTagOntology, target: CfnResource): void {
    const keys = Object.keys(tags).sort();
    const association = new lakeformation.CfnTagAssociation(this, id, {
      resource,
      lfTags: keys.map((k) => ({ catalogId: ontology.catalogId, tagKey: k, tagValues: [tags[k]] })),
    });
    // A resource cannot be tagged in the call that creates it, and the tag must exist first.
    association.addResourceDependency(target);
    for (const k of keys) association.node.addDependency(ontology.tagResource(k));
    association.node.addDependency(this.settings);
    this.associationList.push(association);
  }

  private grant(id: string, principal: string, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty,
    permissions: string[], dependsOn: CfnResource[], grantOption = false): lakeformation.CfnPrincipalPermissions {
    const grant = lfGrant(this, id, { principal, resource, permissions, dependsOn, after: [this.settings], grantOption });
    this.grantList.push(grant);
    return grant;
  }

  private grantWriter(props: ProductCatalogProps, locationArn: string): void {
    const db = { catalogId: this.catalogId, name: this.databaseName };
    const allTables = [...this.tables.values()];
    const location = { dataLocation: { catalogId: this.catalogId, resourceArn: locationArn } };
    if (props.producerAccount === this.catalogId) {
      this.grant('WriterLocationGrant', props.writerRoleArn, location, ['DATA_LOCATION_ACCESS'], [this.registration]);
    } else {
      // Lake Formation documents cross-account data location grants only to an account (or organization) with the
      // grant option; that account's administrator re-grants to its principals, naming this catalog's ID
      // (https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions.html). The producer's
      // side is ProducerLocationAccess (the mesh puts it in the producer account's access stack).
      const grant = this.grant('ProducerLocationGrant', props.producerAccount, location, ['DATA_LOCATION_ACCESS'], [this.registration], true);
      acknowledge(grant, ['DataMesh-LakeFormationNoGrantOption'],
        `Cross-account DATA_LOCATION_ACCESS can only be granted to the producer account ${props.producerAccount} with the grant option; `
        + `its administrator re-grants it to the ${props.domainName} writer role only (ProducerLocationAccess).`);
    }
    this.grant('WriterDatabaseGrant', props.writerRoleArn, { database: db }, ['CREATE_TABLE', 'ALTER', 'DESCRIBE'], [this.database]);
    this.grant('WriterTablesGrant', props.writerRoleArn,
      { table: { catalogId: this.catalogId, databaseName: this.databaseName, tableWildcard: {} } },
      ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'], [this.database, ...allTables]);
  }

  private grantQueryRole(props: ProductCatalogProps): void {
    this.grantList.push(...readGrants(this, 'Query', {
      principal: props.queryRoleArn,
      catalogId: this.catalogId,
      databaseName: this.databaseName,
      tables: props.tables,
      productClassification: props.classification,
      allowedClassifications: props.ontology.classificationsUpTo(props.queryRoleMaxClassification),
      dependsOnDatabase: this.database,
      dependsOnTable: (name) => this.tables.get(name),
      after: [this.settings],
    }));
  }

  /**
   * One `AWS::Glue::DataQualityRuleset` per table, evaluated on a schedule by EventBridge Scheduler
   * (`glue:StartDataQualityRulesetEvaluationRun`) as a role that reads the tables through Lake Formation.
   */
  private addQuality(props: ProductCatalogProps): void {
    const stack = Stack.of(this);
    const quality = [...(props.quality ?? [])].sort((a, b) => a.table.localeCompare(b.table));
    // Named, so that access reviews show who reads the checked columns (all of them, pii included).
    const runRole = new iam.Role(this, 'QualityRole', {
      roleName: qualityRoleName(props.meshName, props.domainName, props.productName),
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Evaluates the data quality rulesets of product ${this.databaseName}`,
    });
    const rulesetArn = (name: string) => stack.formatArn({ service: 'glue', resource: 'dataQualityRuleset', resourceName: name });
    const names = quality.map((q) => `${this.databaseName}-${q.table}`);
    const runPolicy = new iam.ManagedPolicy(this, 'QualityPolicy', {
      description: `Data quality evaluation of product ${this.databaseName}`,
      roles: [runRole],
      statements: [
        new iam.PolicyStatement({ actions: [...LF_DATA_ACCESS_ACTIONS], resources: ['*'] }),
        // The run reads the table definitions from the catalog, which may be encrypted with the mesh's catalog key.
        catalogKeyStatement(props.meshName, this.catalogId),
        new iam.PolicyStatement({
          actions: [...GLUE_QUALITY_RUN_ACTIONS],
          resources: [
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
            stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/*` }),
            ...names.map(rulesetArn),
          ],
        }),
        new iam.PolicyStatement({
          actions: [...GLUE_QUALITY_LOG_ACTIONS],
          resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/data-quality/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
        new iam.PolicyStatement({
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue Data Quality' } },
        }),
      ],
    });
    acknowledge(runPolicy, ['AwsSolutions-IAM5[Resource::*]'],
      'lakeformation:GetDataAccess and cloudwatch:PutMetricData support no resource-level permissions; metrics are limited to the Glue Data Quality namespace and data access to Lake Formation grants.');
    acknowledgeWildcardResources(runPolicy, catalogKeyStatement(props.meshName, this.catalogId).resources,
      `The catalog key's ID is generated by CloudFormation; the statement is limited to the key with alias ${catalogKeyAlias(props.meshName)}.`);
    acknowledgeWildcardResources(runPolicy, [
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/*` }),
      stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/data-quality/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    ], `Glue Data Quality reads every table of product ${this.databaseName} and writes run logs under /aws-glue/data-quality.`);
    // The run reads the data through Lake Formation: SELECT on every column of the checked tables.
    this.grantList.push(...readGrants(this, 'Quality', {
      principal: runRole.roleArn,
      catalogId: this.catalogId,
      databaseName: this.databaseName,
      tables: props.tables.filter((t) => quality.some((q) => q.table === t.name)),
      productClassification: props.classification,
      allowedClassifications: props.ontology.classificationValues,
      dependsOnDatabase: this.database,
      dependsOnTable: (name) => this.tables.get(name),
      after: [this.settings],
    }));

    const schedulerRole = new iam.Role(this, 'QualitySchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Starts the data quality evaluations of product ${this.databaseName}`,
    });
    new iam.ManagedPolicy(this, 'QualitySchedulerPolicy', {
      description: `Starts the data quality evaluations of product ${this.databaseName}`,
      roles: [schedulerRole],
      statements: [
        new iam.PolicyStatement({ actions: [...GLUE_QUALITY_START_ACTIONS], resources: names.map(rulesetArn) }),
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [runRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } } }),
      ],
    });

    const rulesets = this.rulesets as Map<string, glue.CfnDataQualityRuleset>;
    quality.forEach((q, i) => {
      const table = this.tables.get(q.table)!;
      const ruleset = new glue.CfnDataQualityRuleset(this, `Quality-${q.table}`, {
        name: names[i],
        description: `Data quality rules of ${this.databaseName}.${q.table}`,
        ruleset: q.dqdl,
        targetTable: { databaseName: this.databaseName, tableName: q.table },
      });
      ruleset.addResourceDependency(table);
      rulesets.set(q.table, ruleset);
      const schedule = new scheduler.CfnSchedule(this, `QualitySchedule-${q.table}`, {
        description: `Evaluates ${names[i]}`,
        scheduleExpression: props.qualitySchedule ?? DEFAULT_QUALITY_SCHEDULE,
        flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 60 },
        target: {
          arn: `arn:${Aws.PARTITION}:scheduler:::aws-sdk:glue:startDataQualityRulesetEvaluationRun`,
          roleArn: schedulerRole.roleArn,
          input: stack.toJsonString({
            DataSource: { GlueTable: { DatabaseName: this.databaseName, TableName: q.table } },
            Role: runRole.roleArn,
            RulesetNames: [names[i]],
          }),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      });
      schedule.addResourceDependency(ruleset);
    });
  }
}

