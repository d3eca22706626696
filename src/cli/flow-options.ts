/**
 * Flow-condition options shared by every command that runs the solver (analyze, gradient):
 * --re, --mach, --ncrit, --xtr-top, --xtr-bot, --panels, and their conversion to FlowConditions.
 */
import { FoiloptError } from '../errors';
import { parseAlphaSpec, parseClSpec } from '../flow/spec';
import type { FlowConditions } from '../flow/types';
import type { OptionSpec, ParsedArgs } from './args';

export const FLOW_OPTIONS: OptionSpec[] = [
  {
    name: 're',
    type: 'number',
    placeholder: 'R',
    min: 1,
    description: 'chord Reynolds number (required), e.g. 1e6',
  },
  {
    name: 'mach',
    type: 'number',
    placeholder: 'M',
    min: 0,
    max: 0.99,
    default: 0,
    description: 'freestream Mach number (Karman-Tsien)',
  },
  {
    name: 'ncrit',
    type: 'number',
    placeholder: 'N',
    min: 0,
    max: 50,
    default: 9,
    description: 'critical amplification exponent (e^N)',
  },
  {
    name: 'xtr-top',
    type: 'number',
    placeholder: 'X',
    min: 0,
    max: 1,
    default: 1,
    description: 'forced transition x/c, upper side (1 = free)',
  },
  {
    name: 'xtr-bot',
    type: 'number',
    placeholder: 'X',
    min: 0,
    max: 1,
    default: 1,
    description: 'forced transition x/c, lower side (1 = free)',
  },
  {
    name: 'panels',
    type: 'integer',
    placeholder: 'N',
    min: 20,
    max: 2000,
    default: 160,
    description: 'panel nodes after repaneling',
  },
];

/** The sweep of analyze and predict: --alpha SPEC or --cl SPEC. */
export const SWEEP_OPTIONS: OptionSpec[] = [
  { name: 'alpha', type: 'string', placeholder: 'SPEC', description: 'angles of attack, degrees' },
  {
    name: 'cl',
    type: 'string',
    placeholder: 'SPEC',
    description: 'target lift coefficients (instead of --alpha)',
  },
];

/** FlowConditions from the parsed FLOW_OPTIONS; --re is required. */
export function flowConditionsFromArgs(args: ParsedArgs): Required<FlowConditions> {
  const o = args.options;
  if (o.re === undefined) throw new FoiloptError('--re is required (chord Reynolds number, e.g. --re 1e6)');
  return {
    re: o.re as number,
    mach: o.mach as number,
    nCrit: o.ncrit as number,
    xtrTop: o['xtr-top'] as number,
    xtrBot: o['xtr-bot'] as number,
  };
}

/** The sweep from the parsed SWEEP_OPTIONS: target CLs, or angles of attack (default --alpha 0). */
export function sweepFromArgs(args: ParsedArgs): { cl: number[] } | { alphaDeg: number[] } {
  const o = args.options;
  if (o.alpha !== undefined && o.cl !== undefined)
    throw new FoiloptError('give either --alpha or --cl, not both');
  return o.cl !== undefined
    ? { cl: parseClSpec(String(o.cl)) }
    : { alphaDeg: parseAlphaSpec(o.alpha === undefined ? '0' : String(o.alpha)) };
}
