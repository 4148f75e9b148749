import { PATH_KINDS, PathResult, PathsReport } from './paths';
import type { StepResult } from './checks';

/** The report as text for a reader who has not seen the source: a header, one line per path kind, then each problem. */
export function formatPathsReport(report: PathsReport, assembly: string): string {
  const lines: string[] = [];
  const total = report.paths.length;
  const failed = report.paths.filter((p) => p.status === 'fail').length;
  const unknown = report.paths.filter((p) => p.status === 'unknown').length;
  lines.push(`Runtime paths of ${assembly}: each actor's job walked step by step against the synthesized policies and Lake Formation grants.`);
  lines.push(`${total} paths: ${total - failed - unknown} ok, ${failed} broken, ${unknown} cannot be evaluated.`);
  lines.push('');
  const width = Math.max(...PATH_KINDS.map((k) => k.kind.length));
  for (const { kind, title } of PATH_KINDS) {
    const s = report.summary[kind];
    const counts = s.total === 0 ? 'no instance' : `${s.ok}/${s.total} ok${s.fail ? `, ${s.fail} broken` : ''}${s.unknown ? `, ${s.unknown} cannot be evaluated` : ''}`;
    lines.push(`  ${s.fail ? 'FAIL' : s.unknown ? '????' : s.total === 0 ? ' -- ' : ' ok '}  ${kind.padEnd(width)}  ${counts}  (${title})`);
  }
  const problems = report.paths.filter((p) => p.status !== 'ok');
  if (problems.length > 0) {
    lines.push('');
    lines.push('Problems (the first step that does not pass, per path):');
    for (const p of problems) lines.push(...formatProblem(p));
  }
  return `${lines.join('\n')}\n`;
}

function formatProblem(p: PathResult): string[] {
  const s = p.firstProblem as StepResult;
  const index = p.steps.indexOf(s) + 1;
  return [
    '',
    `  ${p.status === 'fail' ? 'BROKEN' : 'CANNOT EVALUATE'}  [${p.kind}] ${p.instance}`,
    `    step ${index}/${p.steps.length}: ${s.step}`,
    `    call:      ${s.call}`,
    `    principal: ${s.principal}`,
    `    resource:  ${s.resource}`,
    `    needs:     ${s.permission}`,
    `    ${p.status === 'fail' ? 'missing:  ' : 'why:      '} ${p.status === 'fail' ? s.missing : s.reason}`,
    `    see:       ${s.doc}`,
  ];
}
