import type { Role } from '@dms/domain';
import { type DmsRuntime, openDms } from '@dms/projections';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type BuildOptions, buildApp } from '../src';
import { issueApiKey } from '../src/auth/keys';

export type Caller = 'admin' | 'sales' | 'finance' | 'controller' | 'auditor' | 'dealerAcme' | 'dealerBolt';

export interface TestApi {
  readonly runtime: DmsRuntime;
  readonly app: FastifyInstance;
  readonly tokens: Readonly<Record<Caller, string>>;
  /** A request as that caller. */
  as(caller: Caller | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const SPECS: Record<Caller, { role: Exclude<Role, 'system'>; partnerId?: string }> = {
  admin: { role: 'admin' },
  sales: { role: 'sales' },
  finance: { role: 'finance' },
  /** A second person in finance: approves what `finance` closes (four eyes). */
  controller: { role: 'finance' },
  auditor: { role: 'auditor' },
  dealerAcme: { role: 'dealer', partnerId: 'acme' },
  dealerBolt: { role: 'dealer', partnerId: 'bolt' },
};

/** Cheap scrypt for tests: the parameters are stored with each hash, so verification works the same. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

/** An API over a fresh embedded database (or the PostgreSQL database at `databaseUrl`), with one key per caller. */
export const startTestApi = async (options: Partial<BuildOptions> & { databaseUrl?: string } = {}): Promise<TestApi> => {
  const { databaseUrl, ...build } = options;
  const runtime = await openDms(databaseUrl ? { databaseUrl, dataDir: '' } : { dataDir: 'memory://' });
  runtime.runner.start();
  const app = await buildApp({ runtime, ...build, auth: { scrypt: TEST_SCRYPT, ...build.auth } });
  const tokens = {} as Record<Caller, string>;
  for (const [caller, spec] of Object.entries(SPECS) as [Caller, (typeof SPECS)[Caller]][]) {
    tokens[caller] = (await issueApiKey(runtime, { name: `test ${caller}`, ...spec }, { id: 'test-setup', role: 'admin' })).token;
  }
  return {
    runtime,
    app,
    tokens,
    as: (caller, inject) => app.inject({ ...inject, headers: { ...(inject.headers ?? {}), ...(caller ? { authorization: `Bearer ${tokens[caller]}` } : {}) } }),
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
};
