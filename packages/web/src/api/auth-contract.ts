// TEMPORARY: the sign-in routes of /work/helpers/CONTRACT-auth.md, typed as openapi-typescript would, until the `identity`
// work lands and src/api/generated/schema.ts carries them; then this file goes and `paths` is used as generated.
import type { paths as generated } from './generated/schema';

interface Json<T> {
  headers: { [name: string]: unknown };
  content: { 'application/json': T };
}
type Problem = Json<{ code: string; detail: string; status: number }>;
export interface SessionUser {
  userId: string;
  email: string;
  name: string;
  role: 'admin' | 'sales' | 'finance' | 'auditor' | 'dealer';
  partnerId?: string | null;
  locale?: string | null;
}
interface NoParams {
  query?: never;
  header?: never;
  path?: never;
  cookie?: never;
}
interface PathParams<P> {
  query?: never;
  header?: never;
  path: P;
  cookie?: never;
}
type Responses<Ok> = { 200: Json<Ok>; 400: Problem; 401: Problem; 403: Problem; 404: Problem; 410: Problem; 429: Problem };
interface Post<Body, Ok, Pm = NoParams> {
  parameters: Pm;
  requestBody: { content: { 'application/json': Body } };
  responses: Responses<Ok>;
}
interface BareOp<Ok, Pm = NoParams> {
  parameters: Pm;
  requestBody?: never;
  responses: Responses<Ok> & { 204: { headers: { [name: string]: unknown }; content?: never } };
}
type Route<M> = { parameters: NoParams } & M;
export interface AuthPaths {
  '/auth/sign-in': Route<{ post: Post<{ email: string; password: string }, { user: SessionUser; csrfToken: string }> }>;
  '/auth/sign-out': Route<{ post: BareOp<never> }>;
  '/auth/me': Route<{ get: BareOp<{ user: SessionUser; csrfToken: string; permissions: string[]; expiresAt: string }> }>;
  '/auth/invitations/{token}': Route<{
    get: BareOp<{ email: string; name: string; role: SessionUser['role']; partnerId?: string | null; expiresAt: string }, PathParams<{ token: string }>>;
  }>;
  '/auth/invitations/{token}/accept': Route<{
    post: Post<{ password: string; name?: string }, { user: SessionUser; csrfToken: string }, PathParams<{ token: string }>>;
  }>;
}
export type AllPaths = generated & AuthPaths;
