import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiProblem, api, ok, onSessionEnded, type Schemas, setCsrfToken } from '../api/client';

export type SessionUser = Schemas['UserSummary'];
export interface Session {
  readonly user: SessionUser;
  readonly permissions: readonly string[];
  /** Null for an API key or token (no session to expire). */
  readonly expiresAt: string | null;
}

export const SESSION_KEY = ['session'] as const;
/** Caches the service worker keeps of API answers (the catalogue); emptied at sign-out, so the next person sees none of it. */
export const API_CACHE = 'dms-api';

/** Who is signed in (from /auth/me), or null. The CSRF token rides along into the client. */
const fetchSession = async (): Promise<Session | null> => {
  try {
    const me = await ok(api.GET('/auth/me'));
    setCsrfToken(me.csrfToken);
    return { user: me.user, permissions: me.permissions, expiresAt: me.expiresAt };
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
};

export const sessionQuery = { queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: 1 } as const;

export const useSession = () => {
  const client = useQueryClient();
  const query = useQuery(sessionQuery);
  // Any 401 elsewhere means the session is gone: ask again, which sends the person to the sign-in screen.
  useEffect(() => {
    const stop = onSessionEnded(() => void client.invalidateQueries({ queryKey: SESSION_KEY }));
    return () => {
      stop();
    };
  }, [client]);
  return query;
};

export const can = (session: Session | null | undefined, permission: string) => session?.permissions.includes(permission) ?? false;

/** Where a person lands after signing in: dealers in the portal, staff in the console. */
export const homeOf = (user: SessionUser) => (user.role === 'dealer' ? '/portal' : '/console');

export const signIn = async (email: string, password: string) => {
  const answer = await ok(api.POST('/auth/sign-in', { body: { email, password } }));
  setCsrfToken(answer.csrfToken);
  return answer;
};

export const signOut = async () => {
  try {
    await api.POST('/auth/sign-out');
  } finally {
    setCsrfToken(null);
    await globalThis.caches?.delete(API_CACHE);
  }
};
