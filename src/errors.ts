/**
 * User-facing errors. Anything the user can cause (bad file, bad option, bad config) is thrown as a
 * FoiloptError; the CLI prints `file:line: message` on one line and exits 1, never a stack trace.
 * Anything else is a bug and keeps its stack.
 */
export interface ErrorLocation {
  /** file the error is about (path as the user gave it) */
  file?: string;
  /** 1-based line number in that file */
  line?: number;
}

export class FoiloptError extends Error {
  readonly file?: string;
  readonly line?: number;
  constructor(message: string, where: ErrorLocation = {}) {
    super(message);
    this.name = 'FoiloptError';
    this.file = where.file;
    this.line = where.line;
  }
  /** One line: `file:line: message` (location parts only where known). */
  oneLine(): string {
    const loc = this.file ? (this.line ? `${this.file}:${this.line}: ` : `${this.file}: `) : '';
    return `${loc}${this.message}`.replace(/\s*\n\s*/g, ' ');
  }
}

export function isFoiloptError(e: unknown): e is FoiloptError {
  return e instanceof FoiloptError;
}
