/**
 * Command-line argument parsing for foilopt commands. Small and strict on purpose:
 * - an option that takes a value always consumes the next token, so negative numbers and ranges
 *   work unquoted (`--alpha -4:12:1`); `--opt=value` works too;
 * - unknown options, missing values and malformed numbers are FoiloptErrors naming the option.
 */
import { FoiloptError } from '../errors';

export type OptionType = 'string' | 'number' | 'integer' | 'boolean';

export interface OptionSpec {
  /** long name without dashes, e.g. "panels" */
  name: string;
  type: OptionType;
  description: string;
  /** placeholder shown in help, e.g. "N" */
  placeholder?: string;
  default?: string | number | boolean;
  /** allowed range for numbers (inclusive) */
  min?: number;
  max?: number;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  /** the last positional may take any number of arguments (shown as NAME...) */
  variadic?: boolean;
}

export type OptionValue = string | number | boolean | undefined;

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, OptionValue>;
}

function parseNumber(spec: OptionSpec, raw: string): number {
  const v = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(v)) {
    throw new FoiloptError(`--${spec.name}: expected a number, got '${raw}'`);
  }
  if (spec.type === 'integer' && !Number.isInteger(v)) {
    throw new FoiloptError(`--${spec.name}: expected an integer, got '${raw}'`);
  }
  if (spec.min !== undefined && v < spec.min) {
    throw new FoiloptError(`--${spec.name}: must be >= ${spec.min}, got ${raw}`);
  }
  if (spec.max !== undefined && v > spec.max) {
    throw new FoiloptError(`--${spec.name}: must be <= ${spec.max}, got ${raw}`);
  }
  return v;
}

/** Parse argv (without the command name) against option and positional specs. */
export function parseArgs(
  argv: readonly string[],
  options: readonly OptionSpec[],
  positionals: readonly PositionalSpec[],
): ParsedArgs {
  const byName = new Map(options.map((o) => [o.name, o]));
  const out: ParsedArgs = { positionals: [], options: {} };
  for (const o of options) if (o.default !== undefined) out.options[o.name] = o.default;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (tok.startsWith('--')) {
      const eq = tok.indexOf('=');
      const name = eq >= 0 ? tok.slice(2, eq) : tok.slice(2);
      const spec = byName.get(name);
      if (!spec) {
        const known = options.map((o) => `--${o.name}`).join(', ');
        throw new FoiloptError(`unknown option --${name} (known: ${known})`);
      }
      if (spec.type === 'boolean') {
        if (eq >= 0) {
          const raw = tok.slice(eq + 1).toLowerCase();
          if (raw !== 'true' && raw !== 'false') throw new FoiloptError(`--${name}: expected true or false`);
          out.options[name] = raw === 'true';
        } else out.options[name] = true;
        continue;
      }
      let raw: string;
      if (eq >= 0) raw = tok.slice(eq + 1);
      else {
        if (i + 1 >= argv.length)
          throw new FoiloptError(`--${name} needs a value (${spec.placeholder ?? spec.type})`);
        raw = argv[++i];
      }
      out.options[name] = spec.type === 'string' ? raw : parseNumber(spec, raw);
      continue;
    }
    if (tok.startsWith('-') && tok.length > 1 && !/^-[\d.]/.test(tok)) {
      if (tok === '-h') {
        out.options.help = true;
        continue;
      }
      throw new FoiloptError(`unknown option ${tok} (options use two dashes, e.g. --help)`);
    }
    out.positionals.push(tok);
  }
  if (out.options.help) return out;
  const required = positionals.filter((p) => p.required !== false);
  if (out.positionals.length < required.length) {
    throw new FoiloptError(`missing argument <${required[out.positionals.length].name}>`);
  }
  const variadic = positionals.length > 0 && positionals[positionals.length - 1].variadic === true;
  if (!variadic && out.positionals.length > positionals.length) {
    throw new FoiloptError(`unexpected argument '${out.positionals[positionals.length]}'`);
  }
  return out;
}
