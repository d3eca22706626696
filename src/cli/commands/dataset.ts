/**
 * `foilopt dataset`: training data for the neural operator (src/dataset, docs/dataset.md).
 *   foilopt dataset --n N --out DIR [--workers K] [--seed S] [--shard i/n | --shard auto] [--resume] [--config file.json]
 *   foilopt dataset merge DIR... --out DIR
 *   foilopt dataset info DIR [--quick] [--json]
 */
import * as fs from 'fs';
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { FoiloptError } from '../../errors';
import { loadConfigFile } from '../../dataset/config';
import type { EvaluatorSpec } from '../../dataset/evaluate';
import {
  generateDataset,
  parseShardSpec,
  type GenerateProgress,
  type GenerateResult,
} from '../../dataset/generate';
import { datasetInfo, formatInfo } from '../../dataset/info';
import { mergeDatasets, findManifests } from '../../dataset/merge';
import type { CliIO, CommandSpec } from '../command';
import type { ParsedArgs } from '../args';

/** Seconds as "1h02m", "3m05s" or "12s". */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** --evaluator: solver (default), synthetic, or path/to/module.js[#exportName]. */
function evaluatorOption(v: unknown): EvaluatorSpec {
  const s = v === undefined ? 'solver' : String(v);
  if (s === 'solver' || s === 'synthetic') return s;
  const hash = s.lastIndexOf('#');
  const module = hash > 0 ? s.slice(0, hash) : s;
  if (!fs.existsSync(module))
    throw new FoiloptError(`--evaluator: expected solver, synthetic or a module path, got "${s}"`);
  return hash > 0 ? { module, export: s.slice(hash + 1) } : { module };
}

/** A progress reporter on stderr (cli-progress bar with cases/s and ETA), or null when not wanted. */
function progressBar(enabled: boolean): { update: (p: GenerateProgress) => void; stop: () => void } | null {
  if (!enabled) return null;
  let bar: SingleBar | null = null;
  return {
    update(p) {
      if (!bar) {
        bar = new SingleBar({
          format: 'dataset |{bar}| {percentage}% | {value}/{total} cases | {rate} cases/s | ETA {etaText}',
          stream: process.stderr,
          hideCursor: true,
          fps: 5,
        });
        bar.start(p.total, p.done - 1, { rate: '-', etaText: '--' });
      }
      const eta = p.casesPerSecond > 0 ? (p.total - p.done) / p.casesPerSecond : NaN;
      bar.update(p.done, {
        rate: p.casesPerSecond.toFixed(p.casesPerSecond < 10 ? 2 : 1),
        etaText: formatDuration(eta),
      });
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Summary line(s) of a finished generation. */
function generateSummary(r: GenerateResult): string {
  const t = r.manifest.totals;
  const lines = [
    `wrote ${r.manifest.shards.length} shard(s), ${t.cases} cases, to ${r.manifestFile}` +
      (r.skippedCases ? ` (${r.skippedCases} cases were already done)` : ''),
    `computed ${r.computedCases} cases in ${r.seconds.toFixed(1)} s: ${r.casesPerSecond.toFixed(2)} cases/s with ${r.workers} worker(s)`,
    `converged ${t.converged} of ${t.cases} (${t.cases ? ((100 * t.converged) / t.cases).toFixed(1) : '-'}%)`,
  ];
  if (r.errors)
    lines.push(
      `warning: the evaluator threw on ${r.errors} case(s) (kept as failed cases), first: ${r.firstError}`,
    );
  if (r.manifest.job)
    lines.push(
      `job ${r.manifest.job.index}/${r.manifest.job.count} done; merge all jobs with: foilopt dataset merge ${r.dir} --out DIR`,
    );
  return lines.join('\n') + '\n';
}

async function runGenerate(args: ParsedArgs, io: CliIO): Promise<number> {
  const o = args.options;
  if (args.positionals.length > 0) {
    throw new FoiloptError(
      `unknown dataset action '${args.positionals[0]}' (merge, info, or none to generate)`,
    );
  }
  if (o.out === undefined) throw new FoiloptError('--out DIR is required');
  if (o.n === undefined && !o.resume) throw new FoiloptError('--n N is required (number of cases)');
  const configFile = o.config as string | undefined;
  const config = configFile !== undefined ? loadConfigFile(configFile) : undefined;
  const shard = o.shard !== undefined ? parseShardSpec(String(o.shard)) : null;
  const bar = progressBar(!o.json && !!process.stderr.isTTY);
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  let r: GenerateResult;
  try {
    r = await generateDataset({
      out: String(o.out),
      nCases: o.n as number | undefined,
      seed: o.seed as number | undefined,
      config,
      configFile,
      workers: o.workers as number | undefined,
      shard,
      resume: !!o.resume,
      evaluator: evaluatorOption(o.evaluator),
      onProgress: bar?.update,
      onWarning: (m) => io.stderr(`foilopt: warning: ${m}\n`),
      signal: ac.signal,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    bar?.stop();
  }
  if (o.json) {
    const { manifest, ...rest } = r;
    io.stdout(
      JSON.stringify({
        ...rest,
        shards: manifest.shards.length,
        totals: manifest.totals,
        job: manifest.job,
      }) + '\n',
    );
  } else io.stdout(generateSummary(r));
  return 0;
}

/** Input directories of merge: each DIR holds manifests, or sub-directories that do. */
function expandMergeInputs(dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (!fs.existsSync(d)) throw new FoiloptError('no such directory', { file: d });
    if (findManifests(d).length > 0) {
      out.push(d);
      continue;
    }
    const subs = fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && findManifests(path.join(d, e.name)).length > 0)
      .map((e) => path.join(d, e.name))
      .sort();
    if (subs.length === 0)
      throw new FoiloptError('no dataset or job manifest here or in its sub-directories', { file: d });
    out.push(...subs);
  }
  return out;
}

export const datasetCommand: CommandSpec = {
  name: 'dataset',
  summary: 'generate training data for the neural operator (sharded, resumable, parallel)',
  description:
    'Generates N cases (airfoil shape x flow conditions) with the viscous solver: perturbed CST fits of\n' +
    'the UIUC airfoils and NACA 4/5-digit sections (a fixed held-out list excluded), alpha, log-uniform Re,\n' +
    'Mach, Ncrit and forced transition drawn per case from the seed. Writes Float32 shards and a JSON\n' +
    'manifest (docs/dataset.md). Same seed -> same bytes, however the work is split.\n' +
    '  foilopt dataset --n N --out DIR [--workers K] [--seed S] [--shard i/n|auto] [--resume] [--config F]\n' +
    '  foilopt dataset merge DIR... --out DIR   combine the job outputs of a --shard run (a DIR may also\n' +
    '                                           hold one sub-directory per job)\n' +
    '  foilopt dataset info DIR [--quick]       counts, ranges, convergence rate; verifies every shard\n' +
    '--shard auto reads the job index from Kubernetes (JOB_COMPLETION_INDEX + FOILOPT_SHARD_COUNT) or\n' +
    'Slurm (SLURM_ARRAY_TASK_ID + SLURM_ARRAY_TASK_COUNT); see deploy/. Ctrl-C stops cleanly; --resume\n' +
    'continues from the last checkpointed chunk.',
  positionals: [
    { name: 'action', required: false, description: 'merge or info (omit to generate)' },
    {
      name: 'DIR',
      required: false,
      variadic: true,
      description: 'dataset directory (info) or input directories (merge)',
    },
  ],
  options: [
    {
      name: 'n',
      type: 'integer',
      placeholder: 'N',
      min: 1,
      max: 4294967295,
      description: 'number of cases of the whole dataset',
    },
    { name: 'out', type: 'string', placeholder: 'DIR', description: 'output directory' },
    {
      name: 'workers',
      type: 'integer',
      placeholder: 'K',
      min: 0,
      max: 1024,
      description: 'worker threads (default: all cores; 0 = main thread)',
    },
    {
      name: 'seed',
      type: 'integer',
      placeholder: 'S',
      min: 0,
      max: 4294967295,
      description: 'dataset seed (default 1)',
    },
    {
      name: 'shard',
      type: 'string',
      placeholder: 'i/n|auto',
      description: 'compute only job i of n (0-based), or take it from the batch system',
    },
    {
      name: 'resume',
      type: 'boolean',
      description: 'continue an interrupted run (finished shards and chunks are kept)',
    },
    {
      name: 'config',
      type: 'string',
      placeholder: 'FILE',
      description: 'JSON config: ranges, shape mix, shard size (docs/dataset.md)',
    },
    {
      name: 'evaluator',
      type: 'string',
      placeholder: 'E',
      description: 'solver (default), synthetic (pipeline tests) or module.js[#export]',
    },
    { name: 'quick', type: 'boolean', description: 'info: skip the checksum verification' },
  ],
  examples: [
    'foilopt dataset --n 100000 --out data/train --workers 8 --seed 1',
    'foilopt dataset --n 100000 --out /shared/train --shard auto --resume',
    'foilopt dataset merge /shared/train --out data/train',
    'foilopt dataset info data/train',
  ],
  async run(args, io) {
    const action = args.positionals[0];
    if (action === 'merge') {
      const inputs = args.positionals.slice(1);
      if (inputs.length === 0) throw new FoiloptError('dataset merge: give the input directories (DIR...)');
      if (args.options.out === undefined) throw new FoiloptError('dataset merge: --out DIR is required');
      const r = mergeDatasets(expandMergeInputs(inputs), String(args.options.out));
      const t = r.manifest.totals;
      if (args.options.json) {
        io.stdout(
          JSON.stringify({
            manifestFile: r.manifestFile,
            copied: r.copied,
            shards: r.manifest.shards.length,
            totals: t,
          }) + '\n',
        );
      } else {
        io.stdout(
          `merged ${r.manifest.shards.length} shards (${t.cases} cases, ${r.copied} copied) into ${r.manifestFile}; ` +
            `converged ${t.converged} of ${t.cases}\n`,
        );
      }
      return 0;
    }
    if (action === 'info') {
      const dirs = args.positionals.slice(1);
      if (dirs.length !== 1) throw new FoiloptError('dataset info: give one dataset directory');
      const info = datasetInfo(dirs[0], !args.options.quick);
      io.stdout(args.options.json ? JSON.stringify(info) + '\n' : formatInfo(info));
      if (info.problems?.length) {
        io.stderr(
          `foilopt: ${info.problems[0]}${info.problems.length > 1 ? ` (and ${info.problems.length - 1} more bad shards)` : ''}\n`,
        );
        return 1;
      }
      return 0;
    }
    return runGenerate(args, io);
  },
};
