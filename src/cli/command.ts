/** The shape of a foilopt CLI command; every command module exports one of these. */
import type { OptionSpec, ParsedArgs, PositionalSpec } from './args';

/** Output channels (injectable so tests can capture them). */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CommandSpec {
  name: string;
  /** one line for `foilopt --help` */
  summary: string;
  /** longer text for `foilopt <command> --help` */
  description?: string;
  positionals: PositionalSpec[];
  /** command-specific options; --help and --json are added to every command */
  options: OptionSpec[];
  /** examples shown in the command's help */
  examples?: string[];
  /** returns the exit code (0 when omitted) */
  run(args: ParsedArgs, io: CliIO): Promise<number | void> | number | void;
}

/** Options every command has. */
export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'json', type: 'boolean', description: 'machine-readable JSON output' },
  { name: 'help', type: 'boolean', description: 'show this help' },
];
