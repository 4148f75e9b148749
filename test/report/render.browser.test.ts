import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrittenReport, writeReport } from '../../lib/report';
import { ROOT, exampleDefinition, synthesize } from './synth';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`Chromium not installed (${CHROMIUM} does not exist): the report rendering test is skipped. Run \`apt-get install chromium\` to enable it.`);
}

/** The CI artifact: a full-page screenshot of the report of the example mesh. */
const SCREENSHOT = path.join(ROOT, 'test-output', 'report-screenshot.png');

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let dir: string | undefined;
let report: WrittenReport;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  dir = synthesize(exampleDefinition(), { nag: true });
  report = writeReport(dir);
  // A new, empty user data directory is launch()'s default.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
});

afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('HTML report in headless Chromium', () => {
  it.skipIf(!HAVE_CHROMIUM)('renders the page: title, headings, diagram, tables, without errors or requests beyond the file; saves a screenshot', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(report.html).href;
    await page.goto(url, { waitUntil: 'load' });

    expect(await page.title()).toBe('Data mesh report: acme');
    expect(await page.locator('h1').innerText()).toBe('Data mesh report: acme');
    const headings = await page.locator('h2').allInnerTexts();
    expect(headings).toEqual(expect.arrayContaining(['Summary', 'Domains, products and subscriptions', 'Access matrix',
      'Who can read sensitive columns', 'Data products', 'cdk-nag findings and acknowledgements', 'Warnings']));

    // The diagram: visible, with a size, drawn at its natural size (text is not scaled down), a box per domain.
    const svg = page.locator('svg.mesh-diagram');
    await expect(svg.isVisible()).resolves.toBe(true);
    const bbox = (await svg.boundingBox())!;
    expect(bbox.width).toBeGreaterThan(0);
    expect(bbox.height).toBeGreaterThan(0);
    expect(Math.round(bbox.width)).toBe(Math.round(Number(await svg.getAttribute('width'))));
    expect(await page.locator('svg.mesh-diagram rect.domain-box').count()).toBe(report.model.domains.length);
    expect(await page.locator('svg.mesh-diagram path.edge').count()).toBe(report.model.edges.length);
    expect(await page.locator('svg.mesh-diagram text', { hasText: 'sales' }).first().isVisible()).toBe(true);

    // Findings per pack and acknowledgements with rows.
    expect(await page.locator('#packs tbody tr').count()).toBe(5);
    await expect(page.locator('#compliance', { hasText: 'No unacknowledged finding.' }).isVisible()).resolves.toBe(true);
    const acknowledgements = page.locator('#acknowledgements tbody tr:not(.group)');
    expect(await acknowledgements.count()).toBe(report.model.acknowledgements.length);
    expect(await acknowledgements.count()).toBeGreaterThan(0);
    await expect(page.locator('#acknowledgements').isVisible()).resolves.toBe(true);
    const logBucket = page.locator('#acknowledgements tr', { hasText: 'sales-storage/Domain/LogBucket/Resource' }).filter({ hasText: 'DataMesh-S3BucketKmsEncrypted' });
    expect(await logBucket.count()).toBe(1);

    // The access matrix: one row per database and per table of each entry.
    const expectedRows = report.model.matrix.entries.reduce((n, e) => n + 1 + Object.keys(e.tables).length, 0);
    expect(await page.locator('#access-matrix tbody tr').count()).toBe(expectedRows);
    await expect(page.locator('#access-matrix').isVisible()).resolves.toBe(true);
    const sensitive = page.locator('#sensitive-readers tbody tr', { hasText: 'sales_customers.customers.email' });
    expect(await sensitive.allInnerTexts()).toEqual([expect.stringContaining('arn:aws:iam::222222222222:role/acme-sales-writer')]);

    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([url]);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it.skipIf(!HAVE_CHROMIUM)('needs no JavaScript: with scripts disabled, the content and the diagram are there', async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false, viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(report.html).href, { waitUntil: 'load' });
      expect(await page.locator('h1').isVisible()).toBe(true);
      expect(await page.locator('svg.mesh-diagram').isVisible()).toBe(true);
      expect(await page.locator('#access-matrix tbody tr').count()).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});
