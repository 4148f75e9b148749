/**
 * The report as Markdown (GitHub-flavoured tables), for pull-request comments and wikis. Same content as the HTML
 * page; the diagram becomes a list of subscriptions. Every value from the assembly is escaped.
 */
import { compareStrings, databaseKey, selectedColumns, tableKey } from '../access';
import { escapeMarkdown as md } from './escape';
import { ReportModel, complianceNote } from './model';

function mdTable(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const align = header.map((_, i) => (numeric.includes(i) ? '---:' : '---'));
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Renders the report as Markdown. */
export function renderMarkdown(model: ReportModel): string {
  const t = model.totals;
  const sensitive = model.sensitive.classifications;
  const out: string[] = [];
  out.push(`# Data mesh report: ${md(model.mesh)}`, '');
  out.push(`${t.accounts} accounts, ${t.stacks} stacks, ${t.resources} resources, ${t.grants} Lake Formation grants, `
    + `${t.domains} domains, ${t.products} data products, ${t.subscriptions} subscriptions; `
    + `${t.findings} unacknowledged findings, ${t.acknowledgements} acknowledgements.`, '');

  out.push('## Summary', '');
  for (const a of model.accounts) {
    out.push(`### Account ${md(a.account)}`, '');
    out.push(mdTable(['stack', 'kind', 'domain', 'region', 'resources', 'grants', 'findings', 'acknowledgements'], [
      ...a.stacks.map((s) => [md(s.id), md(s.kind), md(s.domain ?? '-'), md(s.region), String(s.resources), String(s.grants), String(s.findings), String(s.acknowledgements)]),
      [`**${a.stacks.length} stacks**`, '', '', '', `**${a.resources}**`, `**${a.grants}**`, `**${a.findings}**`, `**${a.acknowledgements}**`],
    ], [4, 5, 6, 7]), '');
  }

  out.push('## Subscriptions', '');
  out.push('Consumer domains whose query role can read a product of another domain (the diagram of the HTML report draws them).', '');
  if (model.edges.length === 0) {
    out.push('No subscription.', '');
  } else {
    out.push(mdTable(['consumer', 'product', 'database', 'selectable columns'],
      model.edges.map((e) => [md(e.consumer), md(`${e.producer}.${e.product}`), md(databaseKey(e.catalogId, e.database)), String(e.columns)]), [3]), '');
  }

  out.push('## Access matrix', '');
  out.push(`Columns classified as ${sensitive.map(md).join(' or ')} are marked **[classification]**.`, '');
  const rows: string[][] = [];
  for (const e of model.matrix.entries) {
    const db = `${databaseKey(e.catalogId, e.database)}${e.throughLink ? ` (via link ${e.throughLink})` : e.crossAccount ? ' (no resource link)' : ''}`;
    rows.push([md(e.principal), md(db), '(database)', e.describe ? 'yes' : 'no', '-', e.write ? 'yes' : 'no']);
    for (const name of Object.keys(e.tables).sort(compareStrings)) {
      const ta = e.tables[name];
      const schema = model.matrix.schema[tableKey(e.catalogId, e.database, name)];
      const mark = (c: string) => {
        const cls = schema?.classifications[c];
        return cls !== undefined && sensitive.includes(cls) ? `**${md(c)} [${md(cls)}]**` : md(c);
      };
      let select: string;
      if (ta.select === 'none') select = 'none';
      else if (ta.select === 'all') {
        const all = selectedColumns('all', schema?.columns ?? []);
        const flagged = all.filter((c) => sensitive.includes(schema?.classifications[c] ?? ''));
        select = `all ${all.length} columns${flagged.length > 0 ? `, including ${flagged.map(mark).join(', ')}` : ''}`;
      } else select = ta.select.map(mark).join(', ');
      rows.push([md(e.principal), md(db), md(name), ta.describe ? 'yes' : 'no', select, e.write ? 'yes' : 'no']);
    }
  }
  out.push(rows.length > 0 ? mdTable(['principal', 'database', 'table', 'describe', 'selectable columns', 'write'], rows) : 'No principal has access to any database.', '');

  out.push('## Who can read sensitive columns', '');
  out.push(model.sensitive.readers.length > 0
    ? mdTable(['principal', 'column', 'classification', 'through'], model.sensitive.readers.map((r) => [
      md(r.principal), md(`${tableKey(r.catalogId, r.database, r.table)}.${r.column}`), md(r.classification), r.throughLink ? `link ${md(r.throughLink)}` : 'direct']))
    : `No principal can read a column classified as ${sensitive.map(md).join(' or ')}.`, '');

  out.push('## Data products', '');
  const products = model.domains.flatMap((d) => d.products);
  out.push(products.length > 0
    ? mdTable(['product', 'database', 'classification', 'owner', 'tables', 'description'], products.map((p) => [
      md(`${p.domain}.${p.name}`), md(databaseKey(p.catalogId, p.database)), md(p.classification ?? '-'), md(p.owner ?? '-'), md(p.tables.join(', ')), md(p.description ?? '')]))
    : 'The assembly defines no data product.', '');

  out.push('## cdk-nag findings and acknowledgements', '');
  out.push(md(complianceNote(model)), '');
  out.push(mdTable(['pack', 'findings', 'errors', 'warnings', 'acknowledgements'],
    model.packs.map((p) => [md(p.pack), String(p.findings), String(p.errors), String(p.warnings), String(p.acknowledgements)]), [1, 2, 3, 4]), '');
  out.push(`### Findings (${model.findings.length})`, '');
  if (model.findings.length === 0) out.push(model.validationReport ? 'No unacknowledged finding.' : 'Unknown.', '');
  for (const pack of model.packs.filter((p) => p.findings > 0)) {
    out.push(`#### ${md(pack.pack)} (${pack.findings})`, '');
    out.push(mdTable(['rule', 'severity', 'construct path', 'description'], model.findings.filter((f) => f.pack === pack.pack)
      .map((f) => [md(f.rule), md(f.severity), md(f.constructPath), md(f.description)])), '');
  }
  out.push(`### Acknowledgements (${model.acknowledgements.length})`, '');
  if (model.acknowledgements.length === 0) out.push('No acknowledgement.', '');
  for (const pack of model.packs.filter((p) => p.acknowledgements > 0)) {
    out.push(`#### ${md(pack.pack)} (${pack.acknowledgements})`, '');
    out.push(mdTable(['rule', 'construct path', 'reason'], model.acknowledgements.filter((a) => a.pack === pack.pack)
      .map((a) => [md(a.ruleId), md(a.constructPath), md(a.reason)])), '');
  }

  out.push('## Warnings', '');
  out.push(model.warnings.length > 0 ? model.warnings.map((w) => `- ${md(w)}`).join('\n') : 'The access evaluation found no problem in the catalog and grants.', '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
