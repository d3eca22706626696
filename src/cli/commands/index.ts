/** Registry of CLI commands, in the order `foilopt --help` lists them. */
import type { CommandSpec } from '../command';
import { geometryCommand } from './geometry';
import { analyzeCommand } from './analyze';
import { airfoilsCommand } from './airfoils';
import { datasetCommand } from './dataset';
import { gradientCommand } from './gradient';
import { predictCommand } from './predict';
import { trainCommand } from './train';
import { optimizeCommand } from './optimize';
import { reportCommand } from './report';

export const commands: CommandSpec[] = [
  geometryCommand,
  analyzeCommand,
  airfoilsCommand,
  datasetCommand,
  gradientCommand,
  predictCommand,
  trainCommand,
  optimizeCommand,
  reportCommand,
];
