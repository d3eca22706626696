/**
 * `foilopt <command>`: a thin layer over the library. User errors (FoiloptError) print one line
 * (`foilopt: file:line: message`) and exit 1; anything else is an internal error: one line too, with
 * the stack only when FOILOPT_DEBUG=1.
 */
import { FoiloptError } from '../errors';
import { parseArgs } from './args';
import { COMMON_OPTIONS, type CliIO, type CommandSpec } from './command';
import { commands } from './commands';

const VERSION: string = (() => {
  try {
    return require('../../package.json').version as string;
  } catch {
    return 'unknown';
  }
})();

function pad(s: string, n: number): string {
  return s.length >= n ? s + '  ' : s + ' '.repeat(n - s.length);
}

/** `foilopt --help` text. */
export function mainHelp(): string {
  const lines = [
    `foilopt ${VERSION} — airfoil analysis and inverse design (XFOIL-class solver, adjoint, neural operator)`,
    '',
    'Usage: foilopt <command> [arguments] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${pad(c.name, 12)}${c.summary}`),
    '',
    'Every command takes --help and --json. Airfoils are given as a .dat path (Selig or Lednicer),',
    'a NACA code (naca2412, naca23012) or the name of a shipped airfoil (foilopt airfoils lists them).',
    'Exit codes: 0 success, 1 bad input or failure (one-line message).',
  ];
  return lines.join('\n') + '\n';
}

/** `foilopt <command> --help` text. */
export function commandHelp(c: CommandSpec): string {
  const pos = c.positionals
    .map((p) => {
      const name = p.variadic ? `${p.name}...` : p.name;
      return p.required === false ? `[${name}]` : `<${name}>`;
    })
    .join(' ');
  const lines = [`Usage: foilopt ${c.name} ${pos} [options]`, '', c.description ?? c.summary, ''];
  if (c.positionals.length) {
    lines.push('Arguments:');
    for (const p of c.positionals) lines.push(`  ${pad(p.name, 22)}${p.description}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const o of [...c.options, ...COMMON_OPTIONS]) {
    const flag =
      o.type === 'boolean' ? `--${o.name}` : `--${o.name} ${o.placeholder ?? o.type.toUpperCase()}`;
    const def = o.default !== undefined && o.type !== 'boolean' ? ` (default ${o.default})` : '';
    lines.push(`  ${pad(flag, 22)}${o.description}${def}`);
  }
  if (c.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of c.examples) lines.push(`  ${e}`);
  }
  return lines.join('\n') + '\n';
}

/** Run the CLI with argv (without node and script); returns the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new FoiloptError(`unknown command '${name}' (foilopt --help lists the commands)`);
    const args = parseArgs(rest, [...command.options, ...COMMON_OPTIONS], command.positionals);
    if (args.options.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    const code = await command.run(args, io);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof FoiloptError) {
      io.stderr(`foilopt: ${e.oneLine()}\n`);
      return 1;
    }
    const err = e as Error;
    io.stderr(`foilopt: internal error: ${err?.message ?? String(e)} (set FOILOPT_DEBUG=1 for the stack)\n`);
    if (process.env.FOILOPT_DEBUG === '1' && err?.stack) io.stderr(err.stack + '\n');
    return 1;
  }
}

/** Entry point used by bin/foilopt.js. */
export function runFromProcess(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  const io: CliIO = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`foilopt: internal error: ${(e as Error)?.message ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
