import * as fs from 'fs';
import * as path from 'path';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { ReportModel, ReportOptions, buildReportModel } from './model';

export * from './model';
export { renderHtml } from './html';
export { renderMarkdown } from './markdown';
export { layoutDiagram, renderDiagramSvg } from './svg';
export type { AccountCard, DiagramInput, DiagramLayout, DomainBox, EdgePath, LegendItem, ProductBox, Rect } from './svg';
export { escapeMarkdown, escapeXml } from './escape';

export const REPORT_HTML_FILE = 'data-mesh-report.html';
export const REPORT_MARKDOWN_FILE = 'data-mesh-report.md';

export interface WrittenReport {
  readonly model: ReportModel;
  readonly html: string;
  readonly markdown: string;
}

/** Builds the report of the cloud assembly `dir` and writes the HTML page and the Markdown file into it. */
export function writeReport(dir: string, options: ReportOptions = {}): WrittenReport {
  const model = buildReportModel(dir, options);
  const html = path.join(dir, REPORT_HTML_FILE);
  const markdown = path.join(dir, REPORT_MARKDOWN_FILE);
  fs.writeFileSync(html, renderHtml(model));
  fs.writeFileSync(markdown, renderMarkdown(model));
  return { model, html, markdown };
}
