import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { type SessionUser, useSession } from '../auth/session';
import { useI18n } from '../i18n';

/** The id an event records as its actor for this principal: `user:<id>` for a person, the key's or token's own id (`key:<id>`, `jwt:<sub>`). */
export const actorIdOf = (user: SessionUser): string => (/^(key|jwt):/.test(user.userId) ? user.userId : `user:${user.userId}`);

/** `GET /actors` takes at most this many ids at a time. */
const PER_REQUEST = 50;

/**
 * Names the actors an event or a statement recorded (who closed a statement, who approved it, who did each step of a
 * history): "you" for the person signed in, else the person's display name or the key's label as `GET /actors` gives
 * them to this role (every role may ask; a dealer learns only its own people's names), else the actor id as recorded.
 */
export const useActorName = (actors: readonly (string | null | undefined)[]) => {
  const { t } = useI18n();
  const session = useSession().data;
  const me = session ? actorIdOf(session.user) : undefined;
  const ids = [...new Set(actors.filter((a): a is string => !!a && a !== me))].sort();
  const names = useQuery({
    queryKey: ['actors', ids],
    queryFn: async () => {
      const batches = [];
      for (let i = 0; i < ids.length; i += PER_REQUEST) batches.push(ids.slice(i, i + PER_REQUEST));
      const answers = await Promise.all(batches.map((batch) => ok(api.GET('/actors', { params: { query: { ids: batch.join(',') } } }))));
      return new Map(answers.flatMap((a) => a.items).map((a) => [a.id, a]));
    },
    enabled: ids.length > 0,
    staleTime: 5 * 60_000,
  });
  return (actor: string | null | undefined): string => {
    if (!actor) return t('common.none');
    if (session && actor === me) return t('settlements.you', { name: session.user.name });
    const found = names.data?.get(actor);
    if (!found?.name) return actor;
    return found.kind === 'key' ? t('common.apiKey', { name: found.name }) : found.name;
  };
};
