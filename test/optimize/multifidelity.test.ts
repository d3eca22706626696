/**
 * The multifidelity orchestration (search -> verify -> polish -> final) with the solver playing the
 * search model: the phases run in order, the search in worker threads gives exactly the result of
 * the same search in the main thread (deterministic starts and models), and the final design is a
 * feasible solver-verified one at least as good as every verified candidate.
 */
import { optimize } from '../../src/optimize/run';
import type { OptimizeConfigInput } from '../../src/optimize/config';

const config: OptimizeConfigInput = {
  airfoil: 'naca2412',
  parametrization: 'cst:3',
  points: [{ alphaDeg: 3, re: 1e6 }],
  objective: { type: 'maxLD' },
  constraints: [{ type: 'maxThickness', min: 0.12 }],
  variables: { freeze: ['teThickness'] },
  strategy: 'multifidelity',
  search: { model: 'solver', starts: 2, maxEvaluations: 3, verify: 2, workers: 2 },
  maxEvaluations: 3,
  panels: 100,
  polarAlphaDeg: [2, 4, 2],
  xfoil: false,
};

jest.setTimeout(180_000);

describe('multifidelity orchestration', () => {
  test('worker-thread search = main-thread search; phases and final choice', async () => {
    const inWorkers = await optimize(config, { operator: null });
    const inMain = await optimize(config, { operator: null, workers: 0 });
    expect(inWorkers.phases.map((p) => p.name)).toEqual(['search', 'verify', 'polish']);
    expect(inWorkers.models.search).toBe('solver');
    expect(inWorkers.final!.variables).toEqual(inMain.final!.variables);
    expect(inWorkers.final!.objective).toBe(inMain.final!.objective);
    expect(inWorkers.evaluations.solver).toBe(inMain.evaluations.solver);
    const verify = inWorkers.phases.find((p) => p.name === 'verify')!;
    // every start that produced a point is verified (a start whose first point fails ends at once)
    const produced = inWorkers.phases[0].starts!.filter((st) => st.objective !== null).length;
    expect(produced).toBeGreaterThanOrEqual(1);
    expect(verify.candidates!.length).toBe(produced);
    for (const c of verify.candidates!)
      if (c.feasible) expect(inWorkers.final!.objective!).toBeGreaterThanOrEqual(c.objective!);
    expect(inWorkers.status).toBe('optimized');
    expect(inWorkers.objective.ratio!).toBeGreaterThan(1);
  });
});
