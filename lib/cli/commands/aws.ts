import { Command, Option } from 'commander';
import { MeshClient } from '../../client/mesh-client';
import { QueryFailedError, QueryTimeoutError } from '../../client/errors';
import type { QueryResult } from '../../client/types';
import { CliError, EXIT } from '../exit-codes';
import { formatTable, printJson } from '../output';

interface AwsOptions { region?: string; profile?: string; json?: boolean }

function withAws(cmd: Command): Command {
  return cmd
    .option('--region <region>', 'AWS region (default: the SDK default chain, e.g. AWS_REGION)')
    .option('--profile <profile>', 'named profile of the shared AWS config');
}

function client(o: AwsOptions): MeshClient {
  return new MeshClient({ region: o.region, profile: o.profile });
}

/** AWS errors end the command with exit code 3 and the service's own message. */
async function aws<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as Error & { cause?: Error };
    const name = err.cause?.name ?? err.name;
    throw new CliError(`${what} failed: ${name && name !== 'Error' ? `${name}: ` : ''}${err.message}`, EXIT.ERROR);
  }
}

export function productsCommand(): Command {
  return withAws(new Command('products'))
    .description('List the data products visible to you (product databases and resource links), optionally filtered by LF-tags.')
    .option('--tag <key=value[,value]...>', 'LF-tag condition, repeatable (AND across keys, OR within values)', collectTags, {})
    .option('--catalog-id <account>', 'catalog to list (default: your account)')
    .option('--json', 'print JSON')
    .action(async (o: AwsOptions & { tag: Record<string, string[]>; catalogId?: string }) => {
      const products = await aws('Listing products', () => client(o).listProducts({
        tags: Object.keys(o.tag).length > 0 ? o.tag : undefined, catalogId: o.catalogId,
      }));
      if (o.json) return printJson(products);
      if (products.length === 0) {
        process.stdout.write('No data products visible. Check your Lake Formation grants, or the region.\n');
        return;
      }
      process.stdout.write(`${formatTable(['database', 'domain', 'classification', 'owner', 'description'],
        products.map((p) => [p.isResourceLink ? `${p.name} -> ${p.target?.catalogId}:${p.target?.databaseName}` : p.name,
          p.domain ?? '-', p.classification ?? '-', p.owner ?? '-', p.description ?? '']))}\n`);
    });
}

export function describeCommand(): Command {
  return withAws(new Command('describe'))
    .description('Show a product: owner, SLA and quality metadata, tables, columns with types, comments and classification.')
    .argument('<database>', 'product database or resource link, e.g. sales_orders')
    .option('--catalog-id <account>', 'catalog holding the database (default: your account)')
    .option('--json', 'print JSON')
    .action(async (database: string, o: AwsOptions & { catalogId?: string }) => {
      const p = await aws(`Describing ${database}`, () => client(o).describeProduct(database, { catalogId: o.catalogId }));
      if (o.json) return printJson(p);
      const lines = [
        `${p.name}${p.isResourceLink ? ` (resource link to ${p.target?.catalogId}:${p.target?.databaseName})` : ''}`,
        `  ${p.description ?? ''}`,
        `  domain: ${p.domain ?? '-'}   owner: ${p.owner ?? '-'}   contact: ${p.contact ?? '-'}   classification: ${p.classification ?? '-'}`,
      ];
      if (Object.keys(p.sla).length > 0) lines.push(`  SLA: ${Object.entries(p.sla).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      if (Object.keys(p.quality).length > 0) lines.push(`  quality: ${Object.entries(p.quality).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      for (const t of p.tables) {
        lines.push('', `  table ${t.name} (${t.format ?? '?'}, ${t.location ?? 'no location'})${t.description ? `: ${t.description}` : ''}`);
        const rows = [...t.columns.map((c) => [c.name, c.type ?? '', c.classification ?? '', c.comment ?? '']),
          ...t.partitionKeys.map((c) => [`${c.name} (partition)`, c.type ?? '', c.classification ?? '', c.comment ?? ''])];
        lines.push(formatTable(['column', 'type', 'classification', 'comment'], rows).split('\n').map((l) => `    ${l}`).join('\n'));
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

export function queryCommand(): Command {
  return withAws(new Command('query'))
    .description('Run SQL in Athena through your domain workgroup (enforced encryption and scan limit), with progress, and print the rows.')
    .argument('<sql>', 'the query')
    .requiredOption('--workgroup <name>', 'Athena workgroup, e.g. acme-marketing')
    .requiredOption('--database <name>', 'default database, e.g. sales_orders')
    .option('--catalog <name>', 'Athena data catalog (default AwsDataCatalog)')
    .option('--timeout <seconds>', 'stop the query after this long', (v) => Number(v), 600)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action(async (sql: string, o: AwsOptions & { workgroup: string; database: string; catalog?: string; timeout: number; format: string }) => {
      if (!Number.isFinite(o.timeout) || o.timeout <= 0) throw new CliError(`--timeout must be a positive number of seconds, got: ${o.timeout}`, EXIT.USAGE);
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      const progress = process.stderr.isTTY;
      let result: QueryResult;
      try {
        result = await client(o).query(sql, {
          workgroup: o.workgroup, database: o.database, catalog: o.catalog, signal: abort.signal, timeoutMs: o.timeout * 1000,
          onProgress: (s) => {
            const line = `${s.state} ${(s.elapsedMs / 1000).toFixed(1)}s, ${formatBytes(s.bytesScanned)} scanned (${s.queryExecutionId})`;
            process.stderr.write(progress ? `\r${line}   ` : `${line}\n`);
          },
        });
      } catch (e) {
        if (e instanceof QueryFailedError || e instanceof QueryTimeoutError) throw new CliError(e.message, EXIT.ERROR);
        return aws('The query', () => Promise.reject(e));
      } finally {
        process.removeListener('SIGINT', onSigint);
        if (progress) process.stderr.write('\n');
      }
      process.stderr.write(`${result.rows.length} rows, ${formatBytes(result.bytesScanned)} scanned, ${(result.elapsedMs / 1000).toFixed(1)}s (${result.queryExecutionId})\n`);
      const names = result.columns.map((c) => c.name);
      if (o.format === 'json') return printJson(result.rows);
      if (o.format === 'csv') {
        process.stdout.write(`${[names.map(csvCell).join(','), ...result.rows.map((r) => names.map((n) => csvCell(r[n])).join(','))].join('\n')}\n`);
        return;
      }
      process.stdout.write(`${formatTable(names, result.rows.map((r) => names.map((n) => (r[n] === null || r[n] === undefined ? 'NULL' : String(r[n])))))}\n`);
    });
}

export function verifyCommand(): Command {
  return withAws(new Command('verify'))
    .description('Compare live Lake Formation grants, LF-tags and data lake settings of your account with what a synthesized mesh declares (drift).')
    .argument('[cdkOut]', 'cloud assembly', 'cdk.out')
    .option('--account <account>', 'account to verify (default: the first stack\'s account)')
    .option('--json', 'print JSON')
    .action(async (cdkOut: string, o: AwsOptions & { account?: string }) => {
      const report = await aws('Verifying', () => client(o).verify(cdkOut, { account: o.account, region: o.region }));
      if (o.json) {
        printJson(report);
      } else {
        const sections: [string, readonly { description: string }[]][] = [
          ['missing grants', report.missingGrants], ['extra grants', report.extraGrants], ['missing LF-tags', report.missingTags],
          ['extra LF-tags', report.extraTags], ['settings', report.settingsProblems],
        ];
        process.stdout.write(`Account ${report.account} in ${report.region}: ${report.stacks.length} stacks compared\n`);
        for (const [title, items] of sections) {
          if (items.length === 0) continue;
          process.stdout.write(`\n${title}:\n${items.map((i) => `  - ${i.description}`).join('\n')}\n`);
        }
        if (report.unchecked.length > 0) process.stdout.write(`\nnot comparable offline (deploy-time values): ${report.unchecked.length}\n`);
        process.stdout.write(report.ok ? '\nNo drift: live state matches the assembly.\n' : '\nDrift found.\n');
      }
      if (!report.ok) process.exitCode = EXIT.CHECK_FAILED;
    });
}

function collectTags(value: string, previous: Record<string, string[]>): Record<string, string[]> {
  const m = /^([^=]+)=(.+)$/.exec(value);
  if (!m) throw new CliError(`--tag must be key=value[,value], got: ${value}`, EXIT.USAGE);
  return { ...previous, [m[1]]: [...(previous[m[1]] ?? []), ...m[2].split(',')] };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
