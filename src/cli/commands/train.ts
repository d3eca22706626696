/**
 * `foilopt train --data DIR... --out DIR [--epochs E] [--resume] ...`: trains the neural operator
 * (src/operator/train.ts) on `foilopt dataset` output, with a progress bar, validation figures per
 * epoch, atomic checkpoints and --resume after a kill or Ctrl-C.
 */
import { SingleBar } from 'cli-progress';
import { FoiloptError } from '../../errors';
import type { CommandSpec } from '../command';
import { formatDuration } from './dataset';

function pct(v: number): string {
  return Number.isFinite(v) ? (100 * v).toFixed(2) + '%' : '-';
}

export const trainCommand: CommandSpec = {
  name: 'train',
  summary: 'train the neural operator on foilopt datasets',
  description:
    'Trains the geometry-informed neural operator (docs/operator.md) on one or more `foilopt dataset`\n' +
    'directories (merged datasets, or the output of --shard jobs: the finished jobs are used). Every\n' +
    'epoch prints validation figures on held-back polars (Cl, ln Cd, Cm and transition MAE, Cp relative\n' +
    'L2, confidence ROC AUC) and writes OUT/model.json + OUT/weights.bin (a usable model: predict\n' +
    '--model OUT); checkpoints are atomic (every --checkpoint-minutes and at every epoch end), and\n' +
    '--resume continues an interrupted run exactly. With --json, one JSON line per epoch.',
  positionals: [
    { name: 'dir', description: 'more dataset directories (after --data)', required: false, variadic: true },
  ],
  options: [
    {
      name: 'data',
      type: 'string',
      placeholder: 'DIR',
      description: 'dataset directory (more may follow, or a comma list)',
    },
    {
      name: 'out',
      type: 'string',
      placeholder: 'DIR',
      description: 'output directory of the model (required)',
    },
    {
      name: 'epochs',
      type: 'integer',
      placeholder: 'E',
      min: 1,
      max: 100000,
      default: 60,
      description: 'epochs',
    },
    {
      name: 'batch',
      type: 'integer',
      placeholder: 'N',
      min: 8,
      max: 65536,
      default: 512,
      description: 'batch size',
    },
    {
      name: 'lr',
      type: 'number',
      placeholder: 'X',
      min: 1e-7,
      max: 1,
      default: 1e-3,
      description: 'peak learning rate (Adam; warm-up, cosine decay)',
    },
    {
      name: 'width',
      type: 'integer',
      placeholder: 'W',
      min: 8,
      max: 4096,
      default: 256,
      description: 'trunk width',
    },
    {
      name: 'depth',
      type: 'integer',
      placeholder: 'D',
      min: 1,
      max: 32,
      default: 4,
      description: 'trunk layers',
    },
    {
      name: 'encoding',
      type: 'string',
      placeholder: 'KIND',
      default: 'spectral',
      description: 'geometry encoding: spectral (the operator) or cst (CST(8) fit, the ablation baseline)',
    },
    {
      name: 'seed',
      type: 'integer',
      placeholder: 'S',
      min: 0,
      max: 4294967295,
      default: 1,
      description: 'seed (weights, shuffling, split)',
    },
    {
      name: 'validation',
      type: 'number',
      placeholder: 'F',
      min: 0,
      max: 0.5,
      default: 0.04,
      description: 'fraction of polars held back for validation',
    },
    {
      name: 'checkpoint-minutes',
      type: 'number',
      placeholder: 'M',
      min: 0.05,
      default: 5,
      description: 'minutes between checkpoints',
    },
    {
      name: 'max-minutes',
      type: 'number',
      placeholder: 'M',
      min: 0.01,
      description: 'stop after M minutes (checkpointed; --resume continues)',
    },
    { name: 'resume', type: 'boolean', description: 'continue the run checkpointed in --out' },
  ],
  examples: [
    'foilopt train --data data/core data/full --out models/operator --epochs 80',
    'foilopt train --data data/core,data/full --out models/operator --epochs 80 --resume',
    'FOILOPT_BACKEND=tensorflow-gpu foilopt train --data big/ --out my-model --width 512 --depth 6 --epochs 200',
  ],
  async run(args, io) {
    const o = args.options;
    if (o.out === undefined) throw new FoiloptError('--out DIR is required');
    const data = [
      ...String(o.data ?? '')
        .split(',')
        .filter((s) => s.trim() !== ''),
      ...args.positionals,
    ];
    if (data.length === 0) throw new FoiloptError('--data DIR is required (one or more dataset directories)');
    const enc = String(o.encoding);
    if (enc !== 'spectral' && enc !== 'cst')
      throw new FoiloptError(`--encoding must be spectral or cst, got "${enc}"`);
    const { trainOperator, DEFAULT_ENCODING } = await import('../../operator');
    const encoding = enc === 'cst' ? { kind: 'cst' as const, gridPoints: 0, modes: 8 } : DEFAULT_ENCODING;
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigint);
    const tty = !o.json && process.stderr.isTTY;
    let bar: SingleBar | null = null;
    let barEpoch = -1;
    try {
      const r = await trainOperator({
        data,
        out: String(o.out),
        epochs: o.epochs as number,
        batchSize: o.batch as number,
        learningRate: o.lr as number,
        width: o.width as number,
        depth: o.depth as number,
        encoding,
        seed: o.seed as number,
        validationFraction: o.validation as number,
        checkpointMinutes: o['checkpoint-minutes'] as number,
        maxMinutes: o['max-minutes'] as number | undefined,
        resume: o.resume === true,
        signal: ac.signal,
        onLoad: (done, total) => {
          if (tty && done === total) io.stderr(`loaded ${total} shard(s)\n`);
        },
        onProgress: (p) => {
          if (!tty) return;
          if (p.epoch !== barEpoch) {
            bar?.stop();
            bar = new SingleBar({
              format: `epoch ${p.epoch}/${p.epochs} |{bar}| {value}/{total} steps | loss {loss} | {rate} samples/s | ETA {eta_formatted}`,
              stream: process.stderr,
              hideCursor: true,
              fps: 4,
            });
            bar.start(p.stepsPerEpoch, 0, { loss: '-', rate: '-' });
            barEpoch = p.epoch;
          }
          bar!.update(p.step, { loss: p.loss.toFixed(4), rate: p.samplesPerSecond.toFixed(0) });
        },
        onEpoch: (e) => {
          bar?.stop();
          bar = null;
          barEpoch = -1;
          const v = e.validation;
          if (o.json) io.stdout(JSON.stringify(e) + '\n');
          else
            io.stdout(
              `epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}  val Cl MAE ${v.clMae.toFixed(4)}  |dlnCd| ${v.lnCdMae.toFixed(4)}  ` +
                `Cm MAE ${v.cmMae.toFixed(4)}  xtr MAE ${v.xtrMae.toFixed(4)}  Cp L2 ${pct(v.cpRelL2)}  conf AUC ${v.confidenceAuc.toFixed(3)}  ` +
                `(${formatDuration(e.seconds)}, ${e.samplesPerSecond.toFixed(0)} samples/s)\n`,
            );
        },
      });
      (bar as SingleBar | null)?.stop();
      const line = r.finished
        ? `trained ${r.epochs} epochs (${r.parameters} parameters, ${r.rows.train} training rows) in ${formatDuration(r.seconds)}: ${r.out}/model.json`
        : `stopped after ${r.epochs} complete epoch(s); checkpoint in ${r.out}: rerun with --resume to continue`;
      if (o.json)
        io.stdout(
          JSON.stringify({
            finished: r.finished,
            out: r.out,
            epochs: r.epochs,
            parameters: r.parameters,
            rows: r.rows,
            seconds: r.seconds,
          }) + '\n',
        );
      else io.stdout(line + '\n');
      return r.finished ? 0 : 1;
    } finally {
      (bar as SingleBar | null)?.stop();
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigint);
    }
  },
};
