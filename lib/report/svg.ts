/**
 * The mesh diagram of `data-mesh report`: one card per account holding its domains, each domain a box listing its
 * products (coloured by classification), and an arrow from each consumer domain to every product of another domain
 * its query role can read. Cards are laid out in rows (flow layout) so that 50 domains stay readable: text is never
 * scaled below 11 px, and the SVG keeps its natural size (the page scrolls rather than shrinking it).
 */
import { compareStrings } from '../access';
import { escapeXml } from './escape';
import type { DomainNode, SubscriptionEdge } from './model';

export interface DiagramInput {
  readonly mesh: string;
  readonly domains: readonly DomainNode[];
  readonly edges: readonly SubscriptionEdge[];
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ProductBox extends Rect {
  readonly name: string;
  readonly classification?: string;
}

export interface DomainBox extends Rect {
  readonly domain: string;
  readonly account: string;
  readonly products: readonly ProductBox[];
  /** Products of other domains it reads / domains reading its products. */
  readonly reads: number;
  readonly readBy: number;
}

export interface AccountCard extends Rect {
  readonly account: string;
  readonly regions: readonly string[];
}

export interface EdgePath {
  readonly consumer: string;
  readonly producer: string;
  readonly product: string;
  /** SVG path data (a cubic Bézier curve from the consumer box to the product row). */
  readonly d: string;
}

export interface LegendItem extends Rect {
  readonly kind: 'domain' | 'account' | 'product' | 'edge';
  readonly label: string;
  readonly classification?: string;
}

export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  /** Font size of domain names; the smallest text uses {@link smallFontSize}. */
  readonly fontSize: number;
  readonly smallFontSize: number;
  readonly title: string;
  readonly legend: readonly LegendItem[];
  readonly accounts: readonly AccountCard[];
  readonly domains: readonly DomainBox[];
  readonly edges: readonly EdgePath[];
  /** Label length limits (characters) applied with an ellipsis; full names are in `<title>` tooltips. */
  readonly maxDomainChars: number;
  readonly maxProductChars: number;
}

/** Most readable width before cards wrap to the next row. */
const MAX_ROW_WIDTH = 1500;
const MARGIN = 24;
const GAP_X = 84;
const GAP_Y = 44;
const CARD_PAD = 12;
const DOMAIN_GAP = 12;
const DOMAINS_PER_CARD_COLUMN = 8;

const CLASSIFICATION_ORDER = ['public', 'internal', 'confidential', 'pii'];
const CLASSIFICATION_COLORS: Readonly<Record<string, string>> = {
  public: '#dcfce7',
  internal: '#dbeafe',
  confidential: '#fef3c7',
  pii: '#fee2e2',
};
const OTHER_COLORS = ['#ede9fe', '#fce7f3', '#e0f2fe', '#ecfccb', '#f5f5f4'];
const UNCLASSIFIED = '#f3f4f6';
const EDGE_COLOR = '#4f46e5';

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function fmt(n: number): string {
  return String(round(n));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Colours of the classifications present, known levels first (least to most sensitive), then others sorted. */
function classificationColors(classifications: readonly string[]): Map<string, string> {
  const present = [...new Set(classifications)];
  const known = CLASSIFICATION_ORDER.filter((c) => present.includes(c));
  const others = present.filter((c) => !CLASSIFICATION_ORDER.includes(c)).sort(compareStrings);
  const colors = new Map<string, string>();
  for (const c of known) colors.set(c, CLASSIFICATION_COLORS[c]);
  others.forEach((c, i) => colors.set(c, OTHER_COLORS[i % OTHER_COLORS.length]));
  return colors;
}

/** Computes the geometry of the diagram (deterministic: depends only on the sorted input). */
export function layoutDiagram(input: DiagramInput): DiagramLayout {
  const domains = [...input.domains].sort((a, b) => compareStrings(a.account, b.account) || compareStrings(a.name, b.name));
  // Text shrinks a little for big meshes, never below 11 px.
  const fontSize = domains.length > 12 ? 13 : 14;
  const smallFontSize = fontSize - 2;
  const charW = fontSize * 0.62;
  const smallCharW = smallFontSize * 0.6;
  const pad = 10;
  const headerH = round(fontSize * 1.5 + smallFontSize * 1.4 + pad);
  const rowH = round(smallFontSize * 2);
  const rowGap = 4;

  // Box width from the longest labels, within bounds; longer labels get an ellipsis.
  const maxDomainChars = 28;
  const maxProductChars = 26;
  const longestDomain = Math.min(maxDomainChars, Math.max(0, ...domains.map((d) => d.name.length)));
  const longestProduct = Math.min(maxProductChars, Math.max(0, ...domains.flatMap((d) => d.products.map((p) => p.name.length))));
  const longestClass = Math.max(0, ...domains.flatMap((d) => d.products.map((p) => (p.classification ?? '').length)));
  const accountLabel = (account: string, regions: readonly string[]) => `account ${account}${regions.length > 0 ? ` · ${regions.join(', ')}` : ''}`;
  const longestAccountLabel = Math.max(0, ...domains.map((d) => accountLabel(d.account, d.region !== undefined ? [d.region] : []).length));
  const domainW = round(Math.min(340, Math.max(190,
    longestAccountLabel * smallCharW * 1.05 - 2 * CARD_PAD + 4,
    longestDomain * charW * 1.08 + 2 * pad,
    (longestProduct + longestClass + 3) * smallCharW + 2 * pad + 8,
    18 * smallCharW + 2 * pad /* "reads 99 · read by 99" */)));

  const reads = new Map<string, Set<string>>();
  const readBy = new Map<string, Set<string>>();
  for (const e of input.edges) {
    reads.set(e.consumer, (reads.get(e.consumer) ?? new Set()).add(`${e.producer}.${e.product}`));
    readBy.set(e.producer, (readBy.get(e.producer) ?? new Set()).add(e.consumer));
  }

  // Title and legend.
  const title = `Data mesh ${input.mesh}: ${domains.length} domain${domains.length === 1 ? '' : 's'}, `
    + `${domains.reduce((n, d) => n + d.products.length, 0)} products, ${input.edges.length} subscription${input.edges.length === 1 ? '' : 's'}`;
  const titleH = fontSize * 2.2;
  const colors = classificationColors(domains.flatMap((d) => d.products.map((p) => p.classification ?? '')).filter((c) => c !== ''));
  const legendDefs: { kind: LegendItem['kind']; label: string; classification?: string }[] = [
    { kind: 'account', label: 'AWS account' },
    { kind: 'domain', label: 'domain (reads · read by)' },
    ...[...colors.keys()].map((c) => ({ kind: 'product' as const, label: `product: ${c}`, classification: c })),
    ...(domains.some((d) => d.products.some((p) => p.classification === undefined)) ? [{ kind: 'product' as const, label: 'product: unclassified' }] : []),
    { kind: 'edge', label: 'consumer reads product' },
  ];
  const legend: LegendItem[] = [];
  const sampleW = 30;
  const legendRowH = round(smallFontSize * 2.2);
  let lx = MARGIN;
  let ly = MARGIN + titleH;
  for (const item of legendDefs) {
    const width = round(sampleW + 8 + item.label.length * smallCharW + 8);
    if (lx > MARGIN && lx + width > MAX_ROW_WIDTH - MARGIN) {
      lx = MARGIN;
      ly += legendRowH;
    }
    legend.push({ ...item, x: lx, y: ly, width, height: legendRowH });
    lx += width + 22;
  }
  const legendRight = Math.max(0, ...legend.map((l) => l.x + l.width));
  const gridTop = round(ly + legendRowH + GAP_Y / 2);

  // Account cards in a flow layout.
  const byAccount = new Map<string, DomainNode[]>();
  for (const d of domains) byAccount.set(d.account, [...(byAccount.get(d.account) ?? []), d]);
  const domainHeight = (d: DomainNode) => round(headerH + Math.max(1, d.products.length) * (rowH + rowGap) + pad / 2);
  const accounts: AccountCard[] = [];
  const boxes: DomainBox[] = [];
  let x = MARGIN;
  let y = gridTop;
  let rowHeight = 0;
  let contentRight = 0;
  const cardHeaderH = round(smallFontSize * 2.4);
  for (const account of [...byAccount.keys()].sort(compareStrings)) {
    const list = byAccount.get(account)!;
    const regions = [...new Set(list.map((d) => d.region).filter((r): r is string => r !== undefined))].sort(compareStrings);
    const columns: DomainNode[][] = [];
    for (let i = 0; i < list.length; i += DOMAINS_PER_CARD_COLUMN) columns.push(list.slice(i, i + DOMAINS_PER_CARD_COLUMN));
    const innerW = Math.max(columns.length * domainW + (columns.length - 1) * DOMAIN_GAP,
      accountLabel(account, regions).length * smallCharW * 1.05 - 2 * CARD_PAD + 4);
    const cardW = round(innerW + 2 * CARD_PAD);
    const columnHeights = columns.map((c) => c.reduce((h, d) => h + domainHeight(d), 0) + (c.length - 1) * DOMAIN_GAP);
    const cardH = round(cardHeaderH + Math.max(...columnHeights) + CARD_PAD);
    if (x > MARGIN && x + cardW > MAX_ROW_WIDTH - MARGIN) {
      x = MARGIN;
      y = round(y + rowHeight + GAP_Y);
      rowHeight = 0;
    }
    accounts.push({ account, regions, x, y, width: cardW, height: cardH });
    columns.forEach((column, ci) => {
      let dy = y + cardHeaderH;
      const dx = round(x + CARD_PAD + ci * (domainW + DOMAIN_GAP));
      for (const d of column) {
        const h = domainHeight(d);
        const products: ProductBox[] = d.products.map((p, i) => ({
          name: p.name,
          ...(p.classification !== undefined ? { classification: p.classification } : {}),
          x: round(dx + pad / 2),
          y: round(dy + headerH + i * (rowH + rowGap)),
          width: round(domainW - pad),
          height: rowH,
        }));
        boxes.push({
          domain: d.name, account, products, x: dx, y: round(dy), width: domainW, height: h,
          reads: reads.get(d.name)?.size ?? 0, readBy: readBy.get(d.name)?.size ?? 0,
        });
        dy += h + DOMAIN_GAP;
      }
    });
    x = round(x + cardW + GAP_X);
    rowHeight = Math.max(rowHeight, cardH);
    contentRight = Math.max(contentRight, x - GAP_X);
  }
  const contentBottom = accounts.length > 0 ? y + rowHeight : gridTop;

  // Edges: consumer box → product row of the producer, curving around when the boxes share a column.
  const boxOf = new Map(boxes.map((b) => [b.domain, b]));
  const edges: EdgePath[] = [];
  for (const e of [...input.edges].sort((a, b) => compareStrings(a.consumer, b.consumer) || compareStrings(a.producer, b.producer)
    || compareStrings(a.product, b.product))) {
    const c = boxOf.get(e.consumer);
    const pb = boxOf.get(e.producer);
    const p = pb?.products.find((r) => r.name === e.product);
    if (!c || !pb || !p) continue;
    if (edges.some((x2) => x2.consumer === e.consumer && x2.producer === e.producer && x2.product === e.product)) continue;
    const sy = c.y + headerH / 2;
    const ey = p.y + p.height / 2;
    let d: string;
    // Arrows end on the border of the producer's box, level with the product row, so that the head stays visible.
    if (c.x + c.width < pb.x) {
      const sx = c.x + c.width;
      const ex = pb.x;
      const dx = Math.max(40, (ex - sx) / 2);
      d = `M${fmt(sx)},${fmt(sy)} C${fmt(sx + dx)},${fmt(sy)} ${fmt(ex - dx)},${fmt(ey)} ${fmt(ex)},${fmt(ey)}`;
    } else if (c.x > pb.x + pb.width) {
      const sx = c.x;
      const ex = pb.x + pb.width;
      const dx = Math.max(40, (sx - ex) / 2);
      d = `M${fmt(sx)},${fmt(sy)} C${fmt(sx - dx)},${fmt(sy)} ${fmt(ex + dx)},${fmt(ey)} ${fmt(ex)},${fmt(ey)}`;
    } else {
      const sx = c.x + c.width;
      const ex = pb.x + pb.width;
      const bulge = Math.min(GAP_X * 0.8, 30 + Math.abs(ey - sy) / 8);
      d = `M${fmt(sx)},${fmt(sy)} C${fmt(Math.max(sx, ex) + bulge)},${fmt(sy)} ${fmt(Math.max(sx, ex) + bulge)},${fmt(ey)} ${fmt(ex)},${fmt(ey)}`;
    }
    edges.push({ consumer: e.consumer, producer: e.producer, product: e.product, d });
  }

  const width = round(Math.max(contentRight + GAP_X, legendRight) + MARGIN);
  const height = round(contentBottom + MARGIN + GAP_Y / 2);
  return {
    width, height, fontSize, smallFontSize, title, legend, accounts, domains: boxes, edges, maxDomainChars, maxProductChars,
  };
}

/** The diagram as a standalone SVG document fragment (every text escaped). */
export function renderDiagramSvg(input: DiagramInput): string {
  const l = layoutDiagram(input);
  const colors = classificationColors(l.domains.flatMap((d) => d.products.map((p) => p.classification ?? '')).filter((c) => c !== ''));
  const color = (c: string | undefined) => (c === undefined ? UNCLASSIFIED : colors.get(c) ?? UNCLASSIFIED);
  const f = l.fontSize;
  const s = l.smallFontSize;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="mesh-diagram" width="${fmt(l.width)}" height="${fmt(l.height)}" `
    + `viewBox="0 0 ${fmt(l.width)} ${fmt(l.height)}" role="img" aria-labelledby="dm-title dm-desc" `
    + 'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Helvetica Neue\', Arial, sans-serif">');
  out.push(`<title id="dm-title">${escapeXml(l.title)}</title>`);
  out.push(`<desc id="dm-desc">${escapeXml(`Domains grouped by AWS account with their data products; an arrow goes from a consumer domain to each product of another domain its query role can read.`)}</desc>`);
  out.push('<defs><marker id="dm-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
    + `<path d="M0,0 L10,5 L0,10 z" fill="${EDGE_COLOR}"/></marker></defs>`);
  out.push(`<rect x="0" y="0" width="${fmt(l.width)}" height="${fmt(l.height)}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN}" y="${fmt(MARGIN + f * 1.2)}" font-size="${f + 3}" font-weight="700" fill="#111827">${escapeXml(l.title)}</text>`);

  // Legend.
  out.push('<g class="legend">');
  for (const item of l.legend) {
    const cy = item.y + item.height / 2;
    const sx = item.x;
    if (item.kind === 'account') {
      out.push(`<rect x="${fmt(sx)}" y="${fmt(cy - 8)}" width="30" height="16" rx="4" fill="#f8fafc" stroke="#94a3b8" stroke-dasharray="4 3"/>`);
    } else if (item.kind === 'domain') {
      out.push(`<rect x="${fmt(sx)}" y="${fmt(cy - 8)}" width="30" height="16" rx="4" fill="#ffffff" stroke="#334155" stroke-width="1.5"/>`);
    } else if (item.kind === 'product') {
      out.push(`<rect x="${fmt(sx)}" y="${fmt(cy - 7)}" width="30" height="14" rx="3" fill="${color(item.classification)}" stroke="#94a3b8"/>`);
    } else {
      out.push(`<path d="M${fmt(sx)},${fmt(cy)} L${fmt(sx + 28)},${fmt(cy)}" stroke="${EDGE_COLOR}" stroke-width="1.6" fill="none" marker-end="url(#dm-arrow)"/>`);
    }
    out.push(`<text x="${fmt(sx + 38)}" y="${fmt(cy + s * 0.35)}" font-size="${s}" fill="#334155">${escapeXml(item.label)}</text>`);
  }
  out.push('</g>');

  // Account cards.
  out.push('<g class="accounts">');
  for (const a of l.accounts) {
    const label = `account ${a.account}${a.regions.length > 0 ? ` · ${a.regions.join(', ')}` : ''}`;
    out.push(`<g class="account" data-account="${escapeXml(a.account)}">`
      + `<rect class="account-box" x="${fmt(a.x)}" y="${fmt(a.y)}" width="${fmt(a.width)}" height="${fmt(a.height)}" rx="8" fill="#f8fafc" stroke="#94a3b8" stroke-dasharray="5 4"/>`
      + `<text x="${fmt(a.x + CARD_PAD)}" y="${fmt(a.y + s * 1.6)}" font-size="${s}" fill="#475569">${escapeXml(label)}</text></g>`);
  }
  out.push('</g>');

  // Edges over the account cards and under the domain boxes, so that labels stay readable where lines cross them.
  out.push(`<g class="edges" fill="none" stroke="${EDGE_COLOR}" stroke-width="1.5" stroke-opacity="0.6">`);
  for (const e of l.edges) {
    out.push(`<path class="edge" data-consumer="${escapeXml(e.consumer)}" data-product="${escapeXml(`${e.producer}.${e.product}`)}" d="${e.d}" marker-end="url(#dm-arrow)">`
      + `<title>${escapeXml(`${e.consumer} reads ${e.producer}.${e.product}`)}</title></path>`);
  }
  out.push('</g>');

  // Domains and their products.
  out.push('<g class="domains">');
  for (const d of l.domains) {
    const name = truncate(d.domain, l.maxDomainChars);
    const stats = `reads ${d.reads} · read by ${d.readBy}`;
    out.push(`<g class="domain" data-domain="${escapeXml(d.domain)}"><title>${escapeXml(`domain ${d.domain} (account ${d.account}): ${d.products.length} product(s), ${stats}`)}</title>`);
    out.push(`<rect class="domain-box" data-domain="${escapeXml(d.domain)}" x="${fmt(d.x)}" y="${fmt(d.y)}" width="${fmt(d.width)}" height="${fmt(d.height)}" rx="6" fill="#ffffff" stroke="#334155" stroke-width="1.5"/>`);
    out.push(`<text class="domain-name" x="${fmt(d.x + 10)}" y="${fmt(d.y + 8 + f)}" font-size="${f}" font-weight="700" fill="#0f172a">${escapeXml(name)}</text>`);
    out.push(`<text x="${fmt(d.x + 10)}" y="${fmt(d.y + 8 + f * 1.4 + s * 1.1)}" font-size="${s}" fill="#475569">${escapeXml(stats)}</text>`);
    if (d.products.length === 0) {
      const y = d.y + d.height - s * 2 - 4;
      out.push(`<text x="${fmt(d.x + 10)}" y="${fmt(y + s * 1.3)}" font-size="${s}" font-style="italic" fill="#64748b">no products (consumer)</text>`);
    }
    for (const p of d.products) {
      out.push(`<g class="product" data-product="${escapeXml(`${d.domain}.${p.name}`)}"><title>${escapeXml(`product ${d.domain}.${p.name}${p.classification ? ` (${p.classification})` : ''}`)}</title>`
        + `<rect x="${fmt(p.x)}" y="${fmt(p.y)}" width="${fmt(p.width)}" height="${fmt(p.height)}" rx="4" fill="${color(p.classification)}" stroke="#94a3b8"/>`
        + `<text x="${fmt(p.x + 8)}" y="${fmt(p.y + p.height / 2 + s * 0.35)}" font-size="${s}" fill="#111827">${escapeXml(truncate(p.name, l.maxProductChars))}</text>`
        + (p.classification ? `<text x="${fmt(p.x + p.width - 8)}" y="${fmt(p.y + p.height / 2 + s * 0.35)}" font-size="${s}" text-anchor="end" fill="#475569">${escapeXml(p.classification)}</text>` : '')
        + '</g>');
    }
    out.push('</g>');
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
