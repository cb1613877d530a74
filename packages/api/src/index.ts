export { type BuildOptions, buildApp } from './app';
export { loadAuthOptions } from './auth/config';
export { type JwtConfig, signHs256, verifyJwt } from './auth/jwt';
export { type IssuedKey, issueApiKey } from './auth/keys';
export { PERMISSIONS, type Permission, ROLE_PERMISSIONS } from './auth/permissions';
export type { AuthOptions } from './auth/plugin';
export type { ApiOptions } from './context';
export { Problem, problem, toProblem } from './problems';
export type { WebOptions } from './web';
