/**
 * Small named tfjs layers the operator is composed of. Each owns its variables under a dotted name
 * ("trunk.0.w"), so a model is saved and restored by name (io.ts), and every initialization draws from
 * a seeded generator (fixed seeds: the same seed gives the same initial model).
 */
import { tf } from './backend';

/** Seeded normal deviates (xorshift32 + Box-Muller): reproducible weight initialization. */
export class InitRng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  uniform(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return (this.s + 0.5) / 4294967296;
  }
  normal(): number {
    const u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** A named trainable parameter. */
export interface Param {
  name: string;
  variable: tf.Variable;
}

/** Registry of the parameters of a model, in creation order. */
export class ParamStore {
  readonly params: Param[] = [];
  add(name: string, shape: number[], init: Float32Array): tf.Variable {
    if (this.params.some((p) => p.name === name)) throw new Error(`duplicate parameter ${name}`);
    const variable = tf.variable(
      tf.tensor(init, shape),
      true,
      `${name}_${Math.random().toString(36).slice(2, 8)}`,
    );
    this.params.push({ name, variable });
    return variable;
  }
  get(name: string): tf.Variable {
    const p = this.params.find((q) => q.name === name);
    if (!p) throw new Error(`no parameter ${name}`);
    return p.variable;
  }
  variables(): tf.Variable[] {
    return this.params.map((p) => p.variable);
  }
  count(): number {
    return this.params.reduce((s, p) => s + p.variable.size, 0);
  }
  dispose(): void {
    for (const p of this.params) p.variable.dispose();
    this.params.length = 0;
  }
}

/**
 * x W for 2-D tensors with a gradient that uses no transposed matmul: the wasm backend's matmul with
 * a transposed operand (what tfjs' own gradient of matMul calls) is 10-30x slower than a plain one
 * (measured: 512x256 by 256x256, 5.6 ms plain, 37 ms with B transposed, 66 ms with A transposed), so
 * the operands are transposed explicitly first.
 */
export const matMul = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor2D,
  w: tf.Tensor2D,
) => tf.Tensor2D;

/**
 * x C for a constant C whose transpose cT is kept beside it: the gradient flows to x only (dx = dy C^T,
 * one plain matmul), with no transpose and no gradient of C computed per call. For the model's fixed
 * matrices and for the layers of a model that is only evaluated (Dense.freeze), where transposing a
 * 384x384 weight in every backward pass was 40 % of the time of a gradient.
 */
export function matMulConst(x: tf.Tensor2D, c: tf.Tensor2D, cT: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad(((xx: tf.Tensor2D) => ({
    value: tf.matMul(xx, c),
    gradFunc: (dy: tf.Tensor2D) => tf.matMul(dy, cT),
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;
  return f(x);
}

/** Fully connected layer y = x W + b. */
export class Dense {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  /** W^T, kept once the layer is frozen (evaluation only: W must not change afterwards) */
  private wT: tf.Tensor2D | null = null;
  constructor(
    store: ParamStore,
    readonly name: string,
    readonly inputs: number,
    readonly outputs: number,
    rng: InitRng,
    gain = 1,
  ) {
    const std = gain * Math.sqrt(2 / inputs);
    const w = new Float32Array(inputs * outputs);
    for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
    this.w = store.add(`${name}.w`, [inputs, outputs], w);
    this.b = store.add(`${name}.b`, [outputs], new Float32Array(outputs));
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const y = this.wT ? matMulConst(x, this.w as tf.Tensor2D, this.wT) : matMul(x, this.w as tf.Tensor2D);
    return tf.add(y, this.b) as tf.Tensor2D;
  }
  /** Evaluation only from here on: gradients flow to the input alone, through a kept W^T. */
  freeze(): void {
    if (!this.wT) this.wT = tf.keep(tf.transpose(this.w as tf.Tensor2D));
  }
  dispose(): void {
    this.wT?.dispose();
    this.wT = null;
  }
}

/** Swish (SiLU) activation x * sigmoid(x): smooth, so the model's gradients are smooth. */
export function swish(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.sigmoid(x)) as tf.Tensor2D;
}

/**
 * Residual MLP trunk: h = swish(x W0 + b0), then depth - 1 blocks h <- h + swish(h Wk + bk).
 */
export class ResidualTrunk {
  readonly input: Dense;
  readonly blocks: Dense[] = [];
  constructor(store: ParamStore, name: string, inputs: number, width: number, depth: number, rng: InitRng) {
    this.input = new Dense(store, `${name}.in`, inputs, width, rng);
    for (let k = 1; k < depth; k++)
      this.blocks.push(new Dense(store, `${name}.block${k}`, width, width, rng, 0.5));
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = swish(this.input.apply(x));
    for (const b of this.blocks) h = tf.add(h, swish(b.apply(h))) as tf.Tensor2D;
    return h;
  }
  layers(): Dense[] {
    return [this.input, ...this.blocks];
  }
}
