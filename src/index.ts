/** foilopt library entry point. */
export * from './geometry';
export * from './flow';
export { FoiloptError, isFoiloptError } from './errors';
export * from './optimize';
