import { readFileSync } from 'fs';
import { DataMeshValidationError, formatProblem } from './errors';

/**
 * Reads an input file of the toolkit (mesh definition, data contract); an unreadable file is a validation
 * error naming the field, the path, the reason and how to fix it.
 */
export function readInputFile(path: string, input: { readonly field: string; readonly what: string; readonly fix: string }): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new DataMeshValidationError(path, [formatProblem({
      field: input.field,
      rule: `must name a readable ${input.what} file (${reason})`,
      got: path,
      fix: input.fix,
    })]);
  }
}
