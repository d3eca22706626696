/**
 * Parametrization specs ("cst:8", "naca4", "bezier:6", "hh:8", "parsec", ...) and the registry of
 * named factories, built-in and user plug-ins (registerParametrization).
 *
 * Spec grammar: NAME[:ARG], NAME case-insensitive; ARG is passed to the factory as a string.
 * Built-ins: cst[:weightsPerSide=8], naca4, naca5, bezier[:controlPointsPerSide=6],
 * hh[:bumpsPerSide=8] (alias hicks-henne; needs a base airfoil), parsec.
 */
import { FoiloptError } from '../../errors';
import type { Airfoil } from '../types';
import { bezier, BEZIER_DEFAULT_CONTROL_POINTS } from './bezier';
import { cst, CST_DEFAULT_WEIGHTS } from './cst';
import { hicksHenne, HICKS_HENNE_DEFAULT_BUMPS } from './hicksHenne';
import { naca4, naca5 } from './naca';
import { parsec } from './parsec';
import type { Parametrization } from './types';

/**
 * Builds a parametrization from the spec's argument (the text after ":", undefined when absent)
 * and an optional base airfoil. Throw a FoiloptError for a bad argument.
 */
export type ParametrizationFactory = (arg: string | undefined, base?: Airfoil) => Parametrization;

interface Entry {
  factory: ParametrizationFactory;
  builtIn: boolean;
}

const registry = new Map<string, Entry>();

/** Parses a positive integer spec argument, or returns `fallback` when absent. */
export function integerArg(spec: string, arg: string | undefined, fallback: number): number {
  if (arg === undefined) return fallback;
  if (!/^\d+$/.test(arg.trim())) {
    throw new FoiloptError(`parametrization "${spec}": argument "${arg}" is not a positive integer`);
  }
  return Number(arg.trim());
}

function noArg(name: string, arg: string | undefined): void {
  if (arg !== undefined)
    throw new FoiloptError(`parametrization "${name}" takes no argument, got "${name}:${arg}"`);
}

/**
 * Registers a named factory so that specs "name" / "name:arg" build it (names are case-insensitive,
 * letters, digits, "-" and "_", starting with a letter). Built-in names cannot be replaced; a user
 * name may be registered again (the new factory wins).
 */
export function registerParametrization(name: string, factory: ParametrizationFactory): void {
  const key = name.toLowerCase();
  if (!/^[a-z][a-z0-9_-]*$/.test(key)) {
    throw new FoiloptError(
      `invalid parametrization name "${name}": use letters, digits, "-" or "_", starting with a letter`,
    );
  }
  if (registry.get(key)?.builtIn)
    throw new FoiloptError(`parametrization name "${name}" is built in and cannot be replaced`);
  registry.set(key, { factory, builtIn: false });
}

/** Registered names (built-ins and plug-ins), sorted. */
export function registeredParametrizations(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Parametrization from a spec such as "cst:8", "cst" (8 weights), "naca4", "naca5", "bezier:6",
 * "hh:8" / "hicks-henne:8" (with `base`), "parsec", or a registered plug-in name. Bad specs throw a
 * FoiloptError naming the known parametrizations.
 */
export function parametrizationFromSpec(spec: string, base?: Airfoil): Parametrization {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).trim().toLowerCase();
  const arg = colon < 0 ? undefined : text.slice(colon + 1).trim();
  const entry = registry.get(name);
  if (!entry) {
    throw new FoiloptError(
      `unknown parametrization "${spec}"; known: ${registeredParametrizations().join(', ')} (e.g. "cst:8", "bezier:6", "hh:8")`,
    );
  }
  return entry.factory(arg === '' ? undefined : arg, base);
}

function builtIn(name: string, factory: ParametrizationFactory): void {
  registry.set(name, { factory, builtIn: true });
}

builtIn('cst', (arg) => cst({ weightsPerSide: integerArg('cst', arg, CST_DEFAULT_WEIGHTS) }));
builtIn('naca4', (arg) => {
  noArg('naca4', arg);
  return naca4();
});
builtIn('naca5', (arg) => {
  noArg('naca5', arg);
  return naca5();
});
builtIn('bezier', (arg) =>
  bezier({ controlPointsPerSide: integerArg('bezier', arg, BEZIER_DEFAULT_CONTROL_POINTS) }),
);
const hh: ParametrizationFactory = (arg, base) => {
  if (!base) throw new FoiloptError('parametrization "hicks-henne" (hh) needs a base airfoil');
  return hicksHenne(base, { bumpsPerSide: integerArg('hh', arg, HICKS_HENNE_DEFAULT_BUMPS) });
};
builtIn('hh', hh);
builtIn('hicks-henne', hh);
builtIn('parsec', (arg) => {
  noArg('parsec', arg);
  return parsec();
});
