/**
 * The report as one self-contained HTML page: inline CSS, the diagram as inline SVG, no script, no external
 * resource. Every value from the assembly is escaped.
 */
import { AccessEntry, compareStrings, databaseKey, selectedColumns, tableKey } from '../access';
import { escapeXml as esc } from './escape';
import { ReportModel, complianceNote } from './model';
import { renderDiagramSvg } from './svg';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #0f172a; background: #f1f5f9; }
header { background: #0f172a; color: #f8fafc; padding: 24px 32px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: #cbd5e1; }
nav { background: #1e293b; padding: 8px 32px; }
nav a { color: #e2e8f0; margin-right: 18px; text-decoration: none; font-size: 14px; }
nav a:hover, nav a:focus { text-decoration: underline; }
main { padding: 8px 32px 48px; }
section { background: #ffffff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 16px 20px; margin: 20px 0; }
h2 { font-size: 21px; margin: 0 0 12px; }
h3 { font-size: 17px; margin: 20px 0 8px; }
p.note { color: #475569; margin: 4px 0 12px; }
.totals { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 16px; padding: 0; list-style: none; }
.totals li { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.totals b { display: block; font-size: 22px; }
.totals span { color: #475569; font-size: 13px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 5px 10px; border-bottom: 1px solid #e2e8f0; }
thead th { background: #f1f5f9; position: sticky; top: 0; border-bottom: 2px solid #cbd5e1; }
tbody tr:nth-child(even) td { background: #fafafa; }
tr.group th { background: #e0e7ff; color: #1e1b4b; font-size: 14px; }
tr.subtotal td { font-weight: 600; background: #f8fafc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
td.principal code { white-space: nowrap; }
td.rule code { overflow-wrap: anywhere; }
td.rule { min-width: 16em; }
td.path { min-width: 14em; }
mark.sensitive { background: #fee2e2; color: #7f1d1d; border-radius: 3px; padding: 0 3px; font-weight: 600; white-space: nowrap; }
.sev-error { color: #b91c1c; font-weight: 600; }
.sev-warning { color: #b45309; font-weight: 600; }
.ok { color: #15803d; font-weight: 600; }
.muted { color: #64748b; }
.diagram { overflow: auto; border: 1px solid #e2e8f0; border-radius: 6px; background: #ffffff; }
.diagram svg { display: block; max-width: none; }
ul.warnings li { margin: 2px 0; }
@media print { body { background: #fff; } nav { display: none; } section { break-inside: avoid-page; border: none; } }
`;

function table(id: string, header: readonly (string | { text: string; num?: boolean })[], body: string, caption?: string): string {
  const ths = header.map((h) => (typeof h === 'string' ? `<th scope="col">${esc(h)}</th>` : `<th scope="col"${h.num ? ' class="num"' : ''}>${esc(h.text)}</th>`)).join('');
  return `<div class="table-wrap"><table id="${esc(id)}">${caption ? `<caption class="muted">${esc(caption)}</caption>` : ''}<thead><tr>${ths}</tr></thead>${body}</table></div>`;
}

/** A construct path, breakable after each `/`. */
function pathCode(p: string): string {
  return `<code>${p.split('/').map(esc).join('/<wbr>')}</code>`;
}

function principal(p: string): string {
  return `<td class="principal"><code>${esc(p)}</code></td>`;
}

function num(n: number): string {
  return `<td class="num">${n}</td>`;
}

function accessRows(model: ReportModel): string[] {
  const sensitive = model.sensitive.classifications;
  const rows: string[] = [];
  const dbCell = (e: AccessEntry) => `<code>${esc(databaseKey(e.catalogId, e.database))}</code>`
    + (e.throughLink ? `<br><span class="muted">via link ${esc(e.throughLink)}</span>` : e.crossAccount ? '<br><span class="muted">no resource link</span>' : '');
  for (const e of model.matrix.entries) {
    rows.push(`<tr>${principal(e.principal)}<td>${dbCell(e)}</td><td class="muted">(database)</td>`
      + `<td>${e.describe ? 'yes' : 'no'}</td><td class="muted">–</td><td>${e.write ? 'yes' : 'no'}</td></tr>`);
    for (const name of Object.keys(e.tables).sort(compareStrings)) {
      const t = e.tables[name];
      const schema = model.matrix.schema[tableKey(e.catalogId, e.database, name)];
      const mark = (c: string) => {
        const cls = schema?.classifications[c];
        return cls !== undefined && sensitive.includes(cls) ? `<mark class="sensitive" title="classification ${esc(cls)}">${esc(c)} [${esc(cls)}]</mark>` : esc(c);
      };
      let select: string;
      if (t.select === 'none') {
        select = '<span class="muted">none</span>';
      } else if (t.select === 'all') {
        const all = selectedColumns('all', schema?.columns ?? []);
        const flagged = all.filter((c) => sensitive.includes(schema?.classifications[c] ?? ''));
        select = `all ${all.length} columns${flagged.length > 0 ? `, including ${flagged.map(mark).join(', ')}` : ''}`;
      } else {
        select = t.select.map(mark).join(', ');
      }
      rows.push(`<tr>${principal(e.principal)}<td>${dbCell(e)}</td><td><code>${esc(name)}</code></td>`
        + `<td>${t.describe ? 'yes' : 'no'}</td><td>${select}</td><td>${e.write ? 'yes' : 'no'}</td></tr>`);
    }
  }
  return rows;
}

/** Renders the report page. */
export function renderHtml(model: ReportModel): string {
  const t = model.totals;
  const parts: string[] = [];
  parts.push('<!DOCTYPE html>');
  parts.push('<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">');
  parts.push(`<title>${esc(`Data mesh report: ${model.mesh}`)}</title>`);
  parts.push(`<style>${CSS}</style></head><body>`);
  parts.push(`<header><h1>${esc(`Data mesh report: ${model.mesh}`)}</h1><p>${esc(
    `${t.accounts} accounts, ${t.stacks} stacks, ${t.resources} resources, ${t.grants} Lake Formation grants; `
    + `${t.findings} unacknowledged findings, ${t.acknowledgements} acknowledgements`)}</p></header>`);
  parts.push('<nav aria-label="Sections"><a href="#summary">Summary</a><a href="#diagram">Diagram</a><a href="#access">Access matrix</a>'
    + '<a href="#sensitive">Sensitive columns</a><a href="#products">Data products</a><a href="#compliance">Findings and acknowledgements</a>'
    + '<a href="#warnings">Warnings</a></nav><main>');

  // Summary.
  parts.push('<section id="summary"><h2>Summary</h2><ul class="totals">');
  for (const [n, label] of [[t.accounts, 'accounts'], [t.stacks, 'stacks'], [t.resources, 'resources'], [t.grants, 'Lake Formation grants'],
    [t.domains, 'domains'], [t.products, 'data products'], [t.subscriptions, 'subscriptions'], [t.findings, 'findings'],
    [t.acknowledgements, 'acknowledgements']] as const) {
    parts.push(`<li><b>${n}</b><span>${esc(label)}</span></li>`);
  }
  parts.push('</ul>');
  const stackRows: string[] = [];
  for (const a of model.accounts) {
    stackRows.push(`<tbody><tr class="group"><th colspan="8" scope="rowgroup">${esc(`Account ${a.account}`)}</th></tr>`);
    for (const s of a.stacks) {
      stackRows.push(`<tr><td><code>${esc(s.id)}</code><br><span class="muted">${esc(s.stackName)}</span></td><td>${esc(s.kind)}</td>`
        + `<td>${esc(s.domain ?? '–')}</td><td>${esc(s.region)}</td>${num(s.resources)}${num(s.grants)}${num(s.findings)}${num(s.acknowledgements)}</tr>`);
    }
    stackRows.push(`<tr class="subtotal"><td colspan="4">${esc(`${a.stacks.length} stacks`)}</td>${num(a.resources)}${num(a.grants)}${num(a.findings)}${num(a.acknowledgements)}</tr></tbody>`);
  }
  parts.push(table('stacks', ['stack', 'kind', 'domain', 'region', { text: 'resources', num: true }, { text: 'grants', num: true },
    { text: 'findings', num: true }, { text: 'acknowledgements', num: true }], stackRows.join('')));
  parts.push('</section>');

  // Diagram.
  parts.push('<section id="diagram"><h2>Domains, products and subscriptions</h2>'
    + '<p class="note">Domains grouped by AWS account; an arrow goes from a consumer domain to each product of another domain its query role can read '
    + '(from the access matrix). Hover a box or an arrow for its full name.</p>');
  parts.push(`<div class="diagram">${renderDiagramSvg(model)}</div></section>`);

  // Access matrix.
  parts.push('<section id="access"><h2>Access matrix</h2>'
    + `<p class="note">${esc(`Effective Lake Formation permissions of every principal, per product database and table. Columns classified as ${model.sensitive.classifications.join(' or ')} are marked.`)}</p>`);
  const access = accessRows(model);
  parts.push(access.length > 0
    ? table('access-matrix', ['principal', 'database', 'table', 'describe', 'selectable columns', 'write'], `<tbody>${access.join('')}</tbody>`)
    : '<p class="muted">No principal has access to any database.</p>');
  parts.push('</section>');

  // Sensitive readers.
  parts.push(`<section id="sensitive"><h2>Who can read sensitive columns</h2><p class="note">${esc(
    `Principals that may SELECT columns classified as ${model.sensitive.classifications.join(', ')} (effective classification, inherited database → table → column).`)}</p>`);
  const readers = model.sensitive.readers;
  parts.push(readers.length > 0
    ? table('sensitive-readers', ['principal', 'column', 'classification', 'through'], `<tbody>${readers.map((r) => `<tr>${principal(r.principal)}`
      + `<td><code>${esc(`${tableKey(r.catalogId, r.database, r.table)}.${r.column}`)}</code></td><td><mark class="sensitive">${esc(r.classification)}</mark></td>`
      + `<td>${r.throughLink ? `link <code>${esc(r.throughLink)}</code>` : '<span class="muted">direct</span>'}</td></tr>`).join('')}</tbody>`)
    : '<p class="ok">No principal can read a sensitive column.</p>');
  parts.push('</section>');

  // Products.
  const products = model.domains.flatMap((d) => d.products);
  parts.push('<section id="products"><h2>Data products</h2>');
  parts.push(products.length > 0
    ? table('products', ['product', 'database', 'classification', 'owner', 'tables', 'description'], `<tbody>${products.map((p) => `<tr>`
      + `<td><b>${esc(`${p.domain}.${p.name}`)}</b></td><td><code>${esc(databaseKey(p.catalogId, p.database))}</code></td><td>${esc(p.classification ?? '–')}</td>`
      + `<td>${esc(p.owner ?? '–')}</td><td>${p.tables.map((x) => `<code>${esc(x)}</code>`).join(', ')}</td><td>${esc(p.description ?? '')}</td></tr>`).join('')}</tbody>`)
    : '<p class="muted">The assembly defines no data product.</p>');
  parts.push('</section>');

  // Findings and acknowledgements.
  parts.push('<section id="compliance"><h2>cdk-nag findings and acknowledgements</h2>');
  parts.push(`<p class="note">${esc(complianceNote(model))}</p>`);
  parts.push(table('packs', ['pack', { text: 'findings', num: true }, { text: 'errors', num: true }, { text: 'warnings', num: true }, { text: 'acknowledgements', num: true }],
    `<tbody>${model.packs.map((p) => `<tr><td>${esc(p.pack)}</td>${num(p.findings)}${num(p.errors)}${num(p.warnings)}${num(p.acknowledgements)}</tr>`).join('')}</tbody>`));
  parts.push(`<h3>Findings (${model.findings.length})</h3>`);
  if (model.findings.length === 0) {
    parts.push(`<p class="${model.validationReport ? 'ok' : 'muted'}">${model.validationReport ? 'No unacknowledged finding.' : 'Unknown (no validation report).'}</p>`);
  } else {
    const groups: string[] = [];
    for (const pack of model.packs.filter((p) => p.findings > 0)) {
      groups.push(`<tbody><tr class="group"><th colspan="4" scope="rowgroup">${esc(`${pack.pack}: ${pack.findings} finding${pack.findings === 1 ? '' : 's'}`)}</th></tr>`);
      for (const f of model.findings.filter((x) => x.pack === pack.pack)) {
        groups.push(`<tr><td class="rule"><code>${esc(f.rule)}</code></td><td class="sev-${f.severity === 'warning' ? 'warning' : 'error'}">${esc(f.severity)}</td>`
          + `<td class="path">${pathCode(f.constructPath)}</td><td>${esc(f.description)}</td></tr>`);
      }
      groups.push('</tbody>');
    }
    parts.push(table('findings', ['rule', 'severity', 'construct path', 'description'], groups.join('')));
  }
  parts.push(`<h3>Acknowledgements (${model.acknowledgements.length})</h3>`);
  if (model.acknowledgements.length === 0) {
    parts.push('<p class="muted">No acknowledgement.</p>');
  } else {
    const groups: string[] = [];
    for (const pack of model.packs.filter((p) => p.acknowledgements > 0)) {
      groups.push(`<tbody><tr class="group"><th colspan="3" scope="rowgroup">${esc(`${pack.pack}: ${pack.acknowledgements} acknowledgement${pack.acknowledgements === 1 ? '' : 's'}`)}</th></tr>`);
      for (const a of model.acknowledgements.filter((x) => x.pack === pack.pack)) {
        groups.push(`<tr><td class="rule"><code>${esc(a.ruleId)}</code></td><td class="path">${pathCode(a.constructPath)}</td><td>${esc(a.reason)}</td></tr>`);
      }
      groups.push('</tbody>');
    }
    parts.push(table('acknowledgements', ['rule', 'construct path', 'reason'], groups.join('')));
  }
  parts.push('</section>');

  // Warnings of the access evaluation.
  parts.push('<section id="warnings"><h2>Warnings</h2>');
  parts.push(model.warnings.length > 0
    ? `<ul class="warnings">${model.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
    : '<p class="ok">The access evaluation found no problem in the catalog and grants.</p>');
  parts.push('</section></main></body></html>');
  return `${parts.join('\n')}\n`;
}
