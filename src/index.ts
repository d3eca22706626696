/** foilopt library entry point. */
export * from './geometry';
export { FoiloptError, isFoiloptError } from './errors';
