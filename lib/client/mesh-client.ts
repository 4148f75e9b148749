import { randomUUID } from 'crypto';
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, QueryExecution, Row, StartQueryExecutionCommand, StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { Database, GetDatabaseCommand, GetDatabasesCommand, GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  GetDataLakeSettingsCommand, GetLFTagCommand, GetResourceLFTagsCommand, LakeFormationClient, LFTag, LFTagPair, ListPermissionsCommand,
  Resource, SearchDatabasesByLFTagsCommand,
} from '@aws-sdk/client-lakeformation';
import { ResolveContext, partitionOfRegion } from '../assembly';
import { CLASSIFICATION_TAG_KEY } from '../defaults';
import { DataMeshValidationError } from '../errors';
import {
  ATHENA_RESULTS_PAGE_SIZE, CLASSIFICATION_LEVEL_PARAMETER, DEFAULT_CONCURRENCY, DEFAULT_QUERY_POLL_INITIAL_MS, DEFAULT_QUERY_POLL_MAX_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
} from './defaults';
import { NotADataProductError, QueryAbortedError, QueryFailedError, QueryTimeoutError } from './errors';
import { athenaValue } from './private/athena-values';
import { messageOf } from './private/messages';
import { AssemblyStack, extractDeclarations, readStacks } from './private/assembly';
import {
  isDataProduct, lfTagMap, linkTarget, productSummary, productTable, qualityOf, slaOf,
} from './private/catalog';
import { compareStrings } from './private/compare';
import { allPages, mapLimit } from './private/pagination';
import { LiveLakeFormation, compareWithLive } from './private/verify';
import { RetryOptions, RetryPolicy, retryPolicy, withRetry } from './retry';
import type { ProductDetails, ProductSummary, QueryColumn, QueryProgress, QueryResult, VerifyReport } from './types';

export interface MeshClientOptions {
  /** @default - the SDK's region chain (AWS_REGION, profile) */
  readonly region?: string;
  /** Named profile of the shared config and credentials files. @default - the default credential chain */
  readonly profile?: string;
  /** @default - a client created with `region` and `profile` */
  readonly glue?: GlueClient;
  /** @default - a client created with `region` and `profile` */
  readonly lakeFormation?: LakeFormationClient;
  /** @default - a client created with `region` and `profile` */
  readonly athena?: AthenaClient;
  /** Retries of throttling and transient errors. @default - 5 attempts, 200 ms base delay */
  readonly retry?: RetryOptions;
  /** Waits between retries and polls. @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock for query timeouts and elapsed times. @default Date.now */
  readonly now?: () => number;
  /** Jitter source, a number in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Glue and Lake Formation calls made at the same time when describing many resources. @default DEFAULT_CONCURRENCY (4) */
  readonly concurrency?: number;
}

export interface ListProductsOptions {
  /**
   * Only products whose database LF-tags match: every key must carry one of its values (Lake Formation's
   * `SearchDatabasesByLFTags`).
   * @default - every product database and resource link to one in the catalog
   */
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  /** @default - the caller's account */
  readonly catalogId?: string;
}

export interface DescribeProductOptions {
  /** Catalog holding the database or resource link. @default - the caller's account */
  readonly catalogId?: string;
}

export interface QueryOptions {
  readonly workgroup: string;
  readonly database: string;
  /** Athena data catalog. @default - Athena's default (AwsDataCatalog) */
  readonly catalog?: string;
  /** Aborting stops the query and rejects with {@link QueryAbortedError}. @default - none */
  readonly signal?: AbortSignal;
  /** The query is stopped and {@link QueryTimeoutError} thrown after this long. @default DEFAULT_QUERY_TIMEOUT_MS (10 minutes) */
  readonly timeoutMs?: number;
  /** Wait between polls: starts at `initial`, doubles up to `max`. @default { initial: 250, max: 5000 } */
  readonly pollIntervalMs?: { readonly initial?: number; readonly max?: number };
  /** Called after every poll. An exception it throws stops the query and propagates. @default - none */
  readonly onProgress?: (status: QueryProgress) => void;
  /** Values of the `?` placeholders of a parameterized query. @default - none */
  readonly parameters?: readonly string[];
  /** Idempotency token of `StartQueryExecution` (32-128 characters); makes retrying the start safe. @default - a random UUID */
  readonly clientRequestToken?: string;
}

export interface VerifyOptions {
  /** Account whose Lake Formation state is compared. @default - the account of the first stack with one */
  readonly account?: string;
  /** @default - the region of the Lake Formation client */
  readonly region?: string;
  /** Substituted for `AWS::Partition`. @default - derived from the region (aws, aws-cn, aws-us-gov...) */
  readonly partition?: string;
  /** Principals whose undeclared grants are not reported as extra (e.g. administrators). @default - none */
  readonly ignorePrincipals?: readonly string[];
}

const TERMINAL_STATES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Runtime access to a data mesh built with this toolkit: lists and describes data products in the Glue
 * Data Catalog (following resource links and reading LF-tags), runs Athena queries, and verifies that the
 * live Lake Formation state of an account matches what a synthesized cloud assembly declares.
 *
 * Every AWS call retries throttling and transient errors with exponential backoff and jitter; every other
 * error propagates unchanged.
 */
export class MeshClient {
  private readonly glue: GlueClient;
  private readonly lakeFormation: LakeFormationClient;
  private readonly athena: AthenaClient;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly concurrency: number;
  private readonly region?: string;

  constructor(options: MeshClientOptions = {}) {
    // Retries are ours (counted by `retry.maxAttempts`), so clients we create do not retry on their own.
    const config = { ...(options.region !== undefined ? { region: options.region } : {}), ...(options.profile !== undefined ? { profile: options.profile } : {}), maxAttempts: 1 };
    this.glue = options.glue ?? new GlueClient(config);
    this.lakeFormation = options.lakeFormation ?? new LakeFormationClient(config);
    this.athena = options.athena ?? new AthenaClient(config);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.retry = retryPolicy(options.retry, this.sleep, options.random ?? Math.random);
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.region = options.region;
  }

  /**
   * The data products visible to the caller, sorted by name: product databases (parameter
   * `data_product=true`) and resource links to them, or, with `tags`, the databases Lake Formation finds by
   * LF-tags. The classification is the database's `classification` LF-tag, else its `classification_level`.
   */
  public async listProducts(options: ListProductsOptions = {}): Promise<ProductSummary[]> {
    const catalog = options.catalogId !== undefined ? { CatalogId: options.catalogId } : {};
    let found: (ProductSummary | undefined)[];
    if (options.tags !== undefined) {
      const expression = tagExpression(options.tags);
      const tagged = await allPages('lakeformation:SearchDatabasesByLFTags', async (token) => {
        const out = await this.call('lakeformation:SearchDatabasesByLFTags', () => this.lakeFormation.send(new SearchDatabasesByLFTagsCommand({
          ...catalog, Expression: expression, ...(token !== undefined ? { NextToken: token } : {}),
        })));
        return { items: out.DatabaseList, nextToken: out.NextToken };
      });
      found = await mapLimit(tagged, this.concurrency, async (t) => {
        const db = await this.getDatabase(t.Database?.CatalogId, t.Database?.Name ?? '');
        return this.summarize(db, t.Database?.CatalogId ?? options.catalogId, db.TargetDatabase === undefined ? t.LFTags : undefined);
      });
    } else {
      const databases = await allPages('glue:GetDatabases', async (token) => {
        const out = await this.call('glue:GetDatabases', () => this.glue.send(new GetDatabasesCommand({
          ...catalog, ...(token !== undefined ? { NextToken: token } : {}),
        })));
        return { items: out.DatabaseList, nextToken: out.NextToken };
      });
      found = await mapLimit(databases, this.concurrency, (db) => this.summarize(db, options.catalogId));
    }
    return found
      .filter((p): p is ProductSummary => p !== undefined)
      .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.catalogId ?? '', b.catalogId ?? ''));
  }

  /**
   * A product in detail: its database (through the resource link when `name` is one), tables, columns with
   * their effective classification (column LF-tag, else table, else database), partition projection, and
   * the SLA and quality metadata of its parameters.
   */
  public async describeProduct(name: string, options: DescribeProductOptions = {}): Promise<ProductDetails> {
    const listed = await this.getDatabase(options.catalogId, name);
    const catalogId = listed.CatalogId ?? options.catalogId;
    const target = linkTarget(listed, catalogId);
    const product = target !== undefined ? await this.getDatabase(target.catalogId, target.databaseName) : listed;
    const productCatalog = product.CatalogId ?? target?.catalogId ?? catalogId;
    const productName = product.Name ?? target?.databaseName ?? name;
    if (!isDataProduct(product.Parameters)) throw new NotADataProductError(productName, productCatalog);

    const dbTags = await this.databaseTags(productCatalog, productName, true);
    const parameters = product.Parameters ?? {};
    const ownCatalog = productCatalog !== undefined ? { CatalogId: productCatalog } : {};
    const tables = await allPages('glue:GetTables', async (token) => {
      const out = await this.call('glue:GetTables', () => this.glue.send(new GetTablesCommand({
        ...ownCatalog, DatabaseName: productName, ...(token !== undefined ? { NextToken: token } : {}),
      })));
      return { items: out.TableList, nextToken: out.NextToken };
    });
    const fromDatabase = dbTags[CLASSIFICATION_TAG_KEY] !== undefined
      ? { classification: dbTags[CLASSIFICATION_TAG_KEY], source: 'database' as const }
      : parameters[CLASSIFICATION_LEVEL_PARAMETER] !== undefined
        ? { classification: parameters[CLASSIFICATION_LEVEL_PARAMETER], source: 'parameter' as const }
        : {};
    const described = await mapLimit(tables, this.concurrency, async (table) => {
      const tags = await this.call('lakeformation:GetResourceLFTags', () => this.lakeFormation.send(new GetResourceLFTagsCommand({
        Resource: { Table: { ...ownCatalog, DatabaseName: productName, Name: table.Name } },
        ShowAssignedLFTags: true,
      })));
      const columns = new Map((tags.LFTagsOnColumns ?? []).map((c) => [c.Name ?? '', lfTagMap(c.LFTags)]));
      return productTable(table, lfTagMap(tags.LFTagsOnTable), columns, fromDatabase);
    });
    return {
      ...productSummary(listed, catalogId, product, dbTags),
      ...(parameters.mesh !== undefined ? { mesh: parameters.mesh } : {}),
      ...(parameters.producer_account !== undefined ? { producerAccount: parameters.producer_account } : {}),
      ...(product.LocationUri !== undefined ? { locationUri: product.LocationUri } : {}),
      parameters,
      lfTags: dbTags,
      sla: slaOf(parameters),
      quality: qualityOf(parameters),
      tables: described.sort((a, b) => compareStrings(a.name, b.name)),
    };
  }

  /**
   * Runs an Athena query and returns its typed rows. Polls with exponential backoff, reports progress, stops
   * the query on abort or timeout, and throws {@link QueryFailedError} when Athena fails or cancels it.
   */
  public async query(sql: string, options: QueryOptions): Promise<QueryResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    const initial = options.pollIntervalMs?.initial ?? DEFAULT_QUERY_POLL_INITIAL_MS;
    const max = options.pollIntervalMs?.max ?? DEFAULT_QUERY_POLL_MAX_MS;
    validateQuery(sql, options, timeoutMs, initial, max);
    const signal = options.signal;
    const start = this.now();
    if (signal?.aborted) throw new QueryAbortedError(undefined, signal.reason);

    // One token for every attempt: a retried start then cannot run the query twice.
    const clientRequestToken = options.clientRequestToken ?? randomUUID();
    const started = await this.call('athena:StartQueryExecution', () => this.athena.send(new StartQueryExecutionCommand({
      QueryString: sql,
      ClientRequestToken: clientRequestToken,
      QueryExecutionContext: { Database: options.database, ...(options.catalog !== undefined ? { Catalog: options.catalog } : {}) },
      WorkGroup: options.workgroup,
      ...(options.parameters !== undefined ? { ExecutionParameters: [...options.parameters] } : {}),
    })));
    const id = started.QueryExecutionId;
    if (id === undefined) throw new Error('Athena StartQueryExecution answered without a QueryExecutionId.');

    /** Asks Athena to stop the query; returns the error when that fails, so the caller can report it. */
    const stop = async (): Promise<unknown> => {
      try {
        await this.call('athena:StopQueryExecution', () => this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
        return undefined;
      } catch (err) {
        return err;
      }
    };
    const abort = async (): Promise<never> => {
      throw new QueryAbortedError(id, signal?.reason, await stop());
    };

    let delay = initial;
    let execution: QueryExecution | undefined;
    for (;;) {
      if (signal?.aborted) await abort();
      const remaining = timeoutMs - (this.now() - start);
      await sleepUnlessAborted(this.sleep, Math.max(0, Math.min(delay, remaining)), signal);
      if (signal?.aborted) await abort();
      execution = (await this.call('athena:GetQueryExecution', () => this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })))).QueryExecution;
      const state = execution?.Status?.State ?? 'UNKNOWN';
      if (options.onProgress) {
        try {
          options.onProgress({ queryExecutionId: id, state, elapsedMs: this.now() - start, bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0 });
        } catch (err) {
          // The caller gave up on the query: do not leave it running.
          const stopError = TERMINAL_STATES.has(state) ? undefined : await stop();
          if (stopError !== undefined) {
            throw new AggregateError([err, stopError], `onProgress threw (${messageOf(err)}) and stopping Athena query ${id} failed (${messageOf(stopError)}); it may still be running.`);
          }
          throw err;
        }
      }
      if (TERMINAL_STATES.has(state)) break;
      const elapsed = this.now() - start;
      if (elapsed >= timeoutMs) throw new QueryTimeoutError(id, timeoutMs, elapsed, await stop());
      delay = Math.min(delay * 2, max);
    }

    const state = execution?.Status?.State;
    if (state !== 'SUCCEEDED') {
      const e = execution?.Status?.AthenaError;
      throw new QueryFailedError(id, state ?? 'UNKNOWN', execution?.Status?.StateChangeReason, e === undefined ? undefined : {
        category: e.ErrorCategory, type: e.ErrorType, retryable: e.Retryable, message: e.ErrorMessage,
      });
    }

    // SELECT results (DML) start with a header row naming the columns; DDL and utility statements do not.
    const hasHeader = execution?.StatementType === undefined || execution.StatementType === 'DML';
    let columns: QueryColumn[] | undefined;
    let first = true;
    const rows = await allPages<Row>('athena:GetQueryResults', async (token) => {
      if (signal?.aborted) throw new QueryAbortedError(id, signal.reason, undefined, 'results');
      const out = await this.call('athena:GetQueryResults', () => this.athena.send(new GetQueryResultsCommand({
        QueryExecutionId: id, MaxResults: ATHENA_RESULTS_PAGE_SIZE, ...(token !== undefined ? { NextToken: token } : {}),
      })));
      columns ??= (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name ?? c.Label ?? '', type: c.Type ?? 'varchar' }));
      const page = out.ResultSet?.Rows ?? [];
      const items = first && hasHeader ? page.slice(1) : page;
      first = false;
      return { items, nextToken: out.NextToken };
    });
    const cols = columns ?? [];
    return {
      queryExecutionId: id,
      columns: cols,
      rows: rows.map((row) => Object.fromEntries(cols.map((c, i) => [c.name, athenaValue(c.type, row.Data?.[i]?.VarCharValue)]))),
      bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0,
      executionTimeMs: execution?.Statistics?.EngineExecutionTimeInMillis ?? 0,
      elapsedMs: this.now() - start,
    };
  }

  /**
   * Compares the live Lake Formation state of one account and region with what a cloud assembly (`cdk.out`)
   * declares for it: grants, LF-tags and their values, LF-tag assignments, and the data lake settings. Only
   * grants on resources the assembly manages (its databases, tables, locations and LF-tags) count as extra.
   */
  public async verify(cloudAssemblyDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
    const all = readStacks(cloudAssemblyDir);
    const account = options.account ?? all.find((s) => s.account !== undefined)?.account;
    if (account === undefined) {
      throw new DataMeshValidationError(`MeshClient.verify(${cloudAssemblyDir})`, [
        '`account` must be given when every stack of the assembly is environment-agnostic, got: nothing. Pass `{ account: \'123456789012\' }`.',
      ]);
    }
    const region = options.region ?? this.region ?? await this.lakeFormation.config.region();
    const stacks = all.filter((s) => (s.account ?? account) === account && (s.region ?? region) === region);
    if (stacks.length === 0) {
      const envs = all.map((s) => `${s.stackName} (${s.account ?? 'any account'}/${s.region ?? 'any region'})`).join(', ');
      throw new DataMeshValidationError(`MeshClient.verify(${cloudAssemblyDir})`, [
        `\`account\`/\`region\` must match a stack of the assembly, got: ${JSON.stringify(`${account}/${region}`)}. Stacks: ${envs || 'none'}.`,
      ]);
    }
    const partition = options.partition ?? partitionOfRegion(region);
    const contextOf = (s: AssemblyStack): ResolveContext => ({
      partition,
      account: s.account ?? account,
      region: s.region ?? region,
      stackName: s.stackName,
      resources: s.template.Resources ?? {},
      parameters: s.template.Parameters ?? {},
    });
    const declarations = extractDeclarations(stacks, contextOf, account);
    const findings = await compareWithLive(declarations, this.liveLakeFormation(), { account, ignorePrincipals: options.ignorePrincipals ?? [] });
    return {
      account,
      region,
      stacks: stacks.map((s) => s.stackName),
      ...findings,
      unchecked: declarations.unchecked,
      ok: Object.values(findings).every((list) => list.length === 0),
    };
  }

  private liveLakeFormation(): LiveLakeFormation {
    return {
      listPermissions: (catalogId, resourceType) => allPages('lakeformation:ListPermissions', async (token) => {
        const out = await this.call('lakeformation:ListPermissions', () => this.lakeFormation.send(new ListPermissionsCommand({
          CatalogId: catalogId, ...(resourceType !== undefined ? { ResourceType: resourceType } : {}), ...(token !== undefined ? { NextToken: token } : {}),
        })));
        return { items: out.PrincipalResourcePermissions, nextToken: out.NextToken };
      }),
      getAssignedLfTags: (resource: Resource) => this.call('lakeformation:GetResourceLFTags',
        () => this.lakeFormation.send(new GetResourceLFTagsCommand({ Resource: resource, ShowAssignedLFTags: true }))),
      getLfTag: async (catalogId, key) => {
        try {
          const out = await this.call('lakeformation:GetLFTag', () => this.lakeFormation.send(new GetLFTagCommand({ CatalogId: catalogId, TagKey: key })));
          return { values: out.TagValues ?? [] };
        } catch (err) {
          // A declared tag that does not exist is a finding, not a failure.
          if ((err as { name?: unknown })?.name === 'EntityNotFoundException') return undefined;
          throw err;
        }
      },
      getDataLakeSettings: async (catalogId) => (await this.call('lakeformation:GetDataLakeSettings',
        () => this.lakeFormation.send(new GetDataLakeSettingsCommand({ CatalogId: catalogId })))).DataLakeSettings,
    };
  }

  private async summarize(db: Database, defaultCatalogId: string | undefined, knownTags?: readonly LFTagPair[]): Promise<ProductSummary | undefined> {
    const catalogId = db.CatalogId ?? defaultCatalogId;
    const target = linkTarget(db, catalogId);
    if (target === undefined) {
      if (!isDataProduct(db.Parameters)) return undefined;
      const tags = knownTags !== undefined ? lfTagMap(knownTags) : await this.databaseTags(catalogId, db.Name ?? '', false);
      return productSummary(db, catalogId, db, tags);
    }
    // A link usually has no parameters of its own: the product's are on its target.
    const product = isDataProduct(db.Parameters) ? db : await this.getDatabase(target.catalogId, target.databaseName);
    if (!isDataProduct(product.Parameters)) return undefined;
    const tags = await this.databaseTags(product.CatalogId ?? target.catalogId, product.Name ?? target.databaseName, false);
    return productSummary(db, catalogId, product, tags);
  }

  private async getDatabase(catalogId: string | undefined, name: string): Promise<Database> {
    const out = await this.call('glue:GetDatabase', () => this.glue.send(new GetDatabaseCommand({
      ...(catalogId !== undefined && catalogId !== '' ? { CatalogId: catalogId } : {}), Name: name,
    })));
    if (out.Database === undefined) throw new Error(`Glue GetDatabase answered without a database for "${name}"${catalogId ? ` in catalog ${catalogId}` : ''}.`);
    return out.Database;
  }

  private async databaseTags(catalogId: string | undefined, name: string, assignedOnly: boolean): Promise<Record<string, string>> {
    const out = await this.call('lakeformation:GetResourceLFTags', () => this.lakeFormation.send(new GetResourceLFTagsCommand({
      Resource: { Database: { ...(catalogId !== undefined && catalogId !== '' ? { CatalogId: catalogId } : {}), Name: name } },
      ...(assignedOnly ? { ShowAssignedLFTags: true } : {}),
    })));
    return lfTagMap(out.LFTagOnDatabase);
  }

  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return withRetry(operation, this.retry, send);
  }
}

/** The LF-tag expression of `listProducts({ tags })`, keys and values sorted so that requests are stable. */
function tagExpression(tags: Readonly<Record<string, readonly string[]>>): LFTag[] {
  const problems: string[] = [];
  const keys = Object.keys(tags).sort(compareStrings);
  if (keys.length === 0) problems.push('`tags` must have at least one key, got: {}. Omit `tags` to list every product.');
  for (const k of keys) {
    if (!Array.isArray(tags[k]) || tags[k].length === 0) {
      problems.push(`\`tags.${k}\` must list at least one value, got: ${JSON.stringify(tags[k])}. Add the values to match.`);
    }
  }
  if (problems.length > 0) throw new DataMeshValidationError('MeshClient.listProducts', problems);
  return keys.map((k) => ({ TagKey: k, TagValues: [...tags[k]].sort(compareStrings) }));
}

function validateQuery(sql: string, options: QueryOptions, timeoutMs: number, initial: number, max: number): void {
  const problems: string[] = [];
  if (typeof sql !== 'string' || sql.trim() === '') problems.push(`\`sql\` must be a non-empty statement, got: ${JSON.stringify(sql)}. Pass the SQL to run.`);
  if (!options?.workgroup) problems.push(`\`workgroup\` must name an Athena workgroup, got: ${JSON.stringify(options?.workgroup)}. Use the domain's workgroup.`);
  if (!options?.database) problems.push(`\`database\` must name a Glue database, got: ${JSON.stringify(options?.database)}. Use a product database or resource link.`);
  if (!(timeoutMs > 0)) problems.push(`\`timeoutMs\` must be greater than 0, got: ${timeoutMs}. Use milliseconds.`);
  if (!(initial > 0) || !(max >= initial)) {
    problems.push(`\`pollIntervalMs\` must have 0 < initial <= max, got: ${JSON.stringify({ initial, max })}. Use for example { initial: 250, max: 5000 }.`);
  }
  if (options?.clientRequestToken !== undefined && (options.clientRequestToken.length < 32 || options.clientRequestToken.length > 128)) {
    problems.push(`\`clientRequestToken\` must have 32 to 128 characters, got: ${JSON.stringify(options.clientRequestToken)}. Use a UUID or omit it.`);
  }
  if (problems.length > 0) throw new DataMeshValidationError('MeshClient.query', problems);
}

/** Waits `ms`, returning early when `signal` fires. */
function sleepUnlessAborted(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, (err: unknown) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
  });
}
