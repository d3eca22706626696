/**
 * The tfjs backend of the operator, chosen at run time: FOILOPT_BACKEND forces one ("wasm", "cpu",
 * "tensorflow" = @tensorflow/tfjs-node, "tensorflow-gpu" = @tensorflow/tfjs-node-gpu); otherwise the
 * native bindings when they are installed and load (optional dependencies: `npm ci` drops them where
 * libtensorflow cannot be downloaded), else the embedded default @tensorflow/tfjs-backend-wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { FoiloptError } from '../errors';

export { tf };

export type BackendName = 'wasm' | 'cpu' | 'tensorflow' | 'tensorflow-gpu';
const BACKENDS: BackendName[] = ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'];

let ready: Promise<BackendName> | undefined;

/** Loads a native binding package; returns false when it is not installed or does not load. */
function tryNative(pkg: string): boolean {
  try {
    require(pkg);
    return true;
  } catch {
    return false;
  }
}

async function select(): Promise<BackendName> {
  const forced = process.env.FOILOPT_BACKEND?.trim();
  if (forced) {
    if (!BACKENDS.includes(forced as BackendName))
      throw new FoiloptError(`FOILOPT_BACKEND must be one of ${BACKENDS.join(', ')}, got "${forced}"`);
    const name = forced as BackendName;
    if (name === 'tensorflow-gpu' && !tryNative('@tensorflow/tfjs-node-gpu'))
      throw new FoiloptError(
        'FOILOPT_BACKEND=tensorflow-gpu but @tensorflow/tfjs-node-gpu is not installed or does not load',
      );
    if (name === 'tensorflow' && !tryNative('@tensorflow/tfjs-node'))
      throw new FoiloptError(
        'FOILOPT_BACKEND=tensorflow but @tensorflow/tfjs-node is not installed or does not load',
      );
    if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    const tfName = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    if (!(await tf.setBackend(tfName)))
      throw new FoiloptError(`the tfjs backend "${name}" failed to initialize`);
    await tf.ready();
    return name;
  }
  if (tryNative('@tensorflow/tfjs-node-gpu') && (await tf.setBackend('tensorflow'))) return 'tensorflow-gpu';
  if (tryNative('@tensorflow/tfjs-node') && (await tf.setBackend('tensorflow'))) return 'tensorflow';
  require('@tensorflow/tfjs-backend-wasm');
  if (await tf.setBackend('wasm')) {
    await tf.ready();
    return 'wasm';
  }
  await tf.setBackend('cpu');
  return 'cpu';
}

/**
 * Initializes the backend once per process; resolves to its name. The wasm module (Emscripten) adds
 * process-wide uncaughtException / unhandledRejection handlers that rethrow and print its whole
 * minified source on any later error; they are removed again so users see foilopt's messages.
 */
export function initBackend(): Promise<BackendName> {
  ready ??= (async () => {
    const before = {
      uncaughtException: process.listeners('uncaughtException'),
      unhandledRejection: process.listeners('unhandledRejection'),
    };
    // production mode: no debug checks, and no console banner of the cpu backend ("install our node
    // backend") in a CLI's output
    tf.enableProdMode();
    try {
      return await select();
    } finally {
      for (const l of process.listeners('uncaughtException'))
        if (!before.uncaughtException.includes(l)) process.removeListener('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection'))
        if (!before.unhandledRejection.includes(l)) process.removeListener('unhandledRejection', l);
    }
  })();
  return ready;
}

/** Name of the active backend (after initBackend). */
export function backendName(): string {
  return tf.getBackend();
}
