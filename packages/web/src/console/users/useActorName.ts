import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { can, type SessionUser, useSession } from '../../auth/session';
import { useI18n } from '../../i18n';

/** The id an event records as its actor for this principal: `user:<id>` for a person, the key's or token's own id (`key:<id>`, `jwt:<sub>`). */
export const actorIdOf = (user: SessionUser): string => (/^(key|jwt):/.test(user.userId) ? user.userId : `user:${user.userId}`);

/**
 * Names the actor an event recorded (who closed a statement, who approved it): "you" for the person signed in, a user's
 * name and e-mail for those who may see users, else the actor id as recorded (a key, or a user of another's account).
 */
export const useActorName = () => {
  const { t } = useI18n();
  const session = useSession().data;
  const users = useQuery({
    queryKey: ['users', undefined],
    queryFn: () => ok(api.GET('/users', { params: { query: {} } })),
    enabled: can(session, 'access:manage'),
    staleTime: 60_000,
  });
  return (actor: string | null | undefined): string => {
    if (!actor) return t('common.none');
    if (session && actor === actorIdOf(session.user)) return t('settlements.you', { name: session.user.name });
    const user = users.data?.items.find((u) => `user:${u.userId}` === actor);
    return user ? `${user.name} · ${user.email}` : actor;
  };
};
