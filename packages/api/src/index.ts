export { type BuildOptions, buildApp } from './app';
export type { ApiOptions } from './context';
export { Problem, problem, toProblem } from './problems';
