import type { Core } from '@strapi/strapi';

/** Who caused a change, as versions and notices name them. */
export interface Actor {
  kind: 'admin' | 'user' | 'system';
  id: number | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'Candor' };

/** Admin users have first/last names; users-permissions users have a username. */
export function actorFromUser(user: any): Actor {
  if (!user) return SYSTEM_ACTOR;
  if ('firstname' in user || 'roles' in user) {
    const name = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || user.email;
    return { kind: 'admin', id: user.id ?? null, name };
  }
  return { kind: 'user', id: user.id ?? null, name: user.username || user.email };
}

/** The actor of the request being served, if any (document-service middlewares have no ctx). */
export function currentActor(strapi: Core.Strapi): Actor {
  return actorFromUser(strapi.requestContext.get()?.state?.user);
}
