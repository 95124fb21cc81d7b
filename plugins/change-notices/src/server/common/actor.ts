import type { Core } from '@strapi/strapi';

/** Who caused a change, as versions and notices name them. */
export interface Actor {
  kind: 'admin' | 'user' | 'system';
  id: number | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'Candor' };

/** Admin users have first/last names; users-permissions users have a username. */
export function actorFromUser(input: unknown): Actor {
  if (!input || typeof input !== 'object') return SYSTEM_ACTOR;
  const user = input as { id?: number; firstname?: string | null; lastname?: string | null; username?: string | null; email?: string; roles?: unknown };
  const id = typeof user.id === 'number' ? user.id : null;
  if ('firstname' in user || 'roles' in user) {
    const name = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || user.email || 'an admin';
    return { kind: 'admin', id, name };
  }
  return { kind: 'user', id, name: user.username || user.email || 'a user' };
}

/** The actor of the request being served, if any (document-service middlewares have no ctx). */
export function currentActor(strapi: Core.Strapi): Actor {
  const user: unknown = strapi.requestContext.get()?.state?.user;
  return actorFromUser(user);
}
