import * as fs from 'fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMesh } from '../../bench/generate';
import { ReportModel, buildReportModel, layoutDiagram, renderDiagramSvg } from '../../lib/report';
import { synthesize } from './synth';

interface Box { x: number; y: number; width: number; height: number }

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

function box(a: Record<string, string>): Box {
  return { x: Number(a.x), y: Number(a.y), width: Number(a.width), height: Number(a.height) };
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

// 50 domains in 50 accounts, one product each, every domain subscribing to the next two (without cdk-nag, for speed).
let dir: string;
let model: ReportModel;
let svg: string;

beforeAll(() => {
  dir = synthesize(generateMesh({ domains: 50, productsPerDomain: 1, subscriptionsPerDomain: 2 }), { validate: false });
  model = buildReportModel(dir);
  svg = renderDiagramSvg(model);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('mesh diagram of a 50-domain mesh', () => {
  it('has one box per domain, with its name', () => {
    expect(model.domains).toHaveLength(50);
    const rects = [...svg.matchAll(/<rect class="domain-box"[^>]*>/g)].map((m) => attrs(m[0]));
    expect(rects.map((r) => r['data-domain']).sort()).toEqual(model.domains.map((d) => d.name).sort());
    for (const d of model.domains) expect(svg).toContain(`font-weight="700" fill="#0f172a">${d.name}</text>`);
  });

  it('draws an arrow per subscription: every domain reads the product of the next two', () => {
    expect(model.edges).toHaveLength(100);
    const paths = [...svg.matchAll(/<path class="edge"[^>]*>/g)].map((m) => attrs(m[0]));
    expect(paths).toHaveLength(100);
    expect(paths.find((p) => p['data-consumer'] === 'd049' && p['data-product'] === 'd000.p00')).toBeDefined();
    expect(paths.every((p) => /^M[\d.]+,[\d.]+ C/.test(p.d))).toBe(true);
  });

  it('lays domain boxes out without overlap, inside their account cards, products inside their domain', () => {
    const domains = [...svg.matchAll(/<rect class="domain-box"[^>]*>/g)].map((m) => box(attrs(m[0])));
    for (let i = 0; i < domains.length; i++) {
      for (let j = i + 1; j < domains.length; j++) expect(overlap(domains[i], domains[j]), `boxes ${i} and ${j}`).toBe(false);
    }
    const layout = layoutDiagram(model);
    const cards = new Map(layout.accounts.map((a) => [a.account, a]));
    for (let i = 0; i < layout.accounts.length; i++) {
      for (let j = i + 1; j < layout.accounts.length; j++) expect(overlap(layout.accounts[i], layout.accounts[j])).toBe(false);
    }
    for (const d of layout.domains) {
      expect(inside(d, cards.get(d.account)!), d.domain).toBe(true);
      for (const p of d.products) expect(inside(p, d), `${d.domain}.${p.name}`).toBe(true);
      expect(d.x + d.width).toBeLessThanOrEqual(layout.width);
      expect(d.y + d.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it('keeps text legible: no font below 10 px, the SVG at its natural size, laid out in a grid', () => {
    const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(150);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    const root = attrs(svg.slice(0, svg.indexOf('>') + 1));
    expect(root.viewBox).toBe(`0 0 ${root.width} ${root.height}`);
    // A grid: several columns and rows, no single endless row.
    const layout = layoutDiagram(model);
    const columns = new Set(layout.domains.map((d) => d.x)).size;
    const rows = new Set(layout.domains.map((d) => d.y)).size;
    expect(columns).toBeGreaterThanOrEqual(3);
    expect(rows).toBeGreaterThanOrEqual(5);
    expect(layout.width).toBeLessThanOrEqual(1600);
  });

  it('has a title and a legend', () => {
    expect(svg).toContain('<title id="dm-title">Data mesh bench: 50 domains, 50 products, 100 subscriptions</title>');
    expect(svg).toContain('<g class="legend">');
    for (const label of ['AWS account', 'domain (reads · read by)', 'product: public', 'consumer reads product']) expect(svg).toContain(`>${label}</text>`);
  });

  it('is deterministic', () => {
    expect(renderDiagramSvg(buildReportModel(dir))).toBe(svg);
  });
});
