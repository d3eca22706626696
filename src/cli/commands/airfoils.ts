/** `foilopt airfoils`: list the airfoils shipped in airfoils/ with their thickness and camber. */
import { listShippedAirfoils } from '../../geometry/lookup';
import type { CommandSpec } from '../command';

export const airfoilsCommand: CommandSpec = {
  name: 'airfoils',
  summary: 'list the shipped airfoils (name, thickness, camber, source)',
  positionals: [],
  options: [],
  run(args, io) {
    const list = listShippedAirfoils();
    if (args.options.json) {
      io.stdout(JSON.stringify(list) + '\n');
      return 0;
    }
    io.stdout('name          t/c     at x/c  camber  at x/c  description\n');
    for (const a of list) {
      io.stdout(
        `${a.name.padEnd(12)}  ${a.thicknessMax.toFixed(4)}  ${a.thicknessMaxX.toFixed(3)}   ${a.camberMax.toFixed(4)}  ${a.camberMaxX.toFixed(3)}   ${a.description ?? ''}\n`,
      );
    }
    return 0;
  },
};
