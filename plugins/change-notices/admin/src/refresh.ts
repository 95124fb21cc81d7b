import * as React from 'react';
import { useDispatch } from 'react-redux';
import { adminApi } from '@strapi/strapi/admin';

/*
 * The History panel and the standing actions are separate description components of the content
 * manager: they share no React state. A module-level counter lets an action tell the panel that the
 * history changed, without a provider we could not place around the edit view anyway.
 */
let generation = 0;
const listeners = new Set<() => void>();

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

function announceHistoryChange() {
  generation += 1;
  listeners.forEach((listener) => listener());
}

/** Changes whenever an action of this plugin changed some document's history. */
export function useHistoryGeneration(): number {
  return React.useSyncExternalStore(subscribe, () => generation);
}

// The content manager adds these tags to the shared admin API the same way; repeating it here gives
// us a typed handle on them without reaching into the content manager's internals.
const contentManagerApi = adminApi.enhanceEndpoints({ addTagTypes: ['Document', 'Relations', 'RecentDocumentList'] });

/**
 * Reloads the edit view's document (the content manager refetches it and resets the form to it), its
 * relation lists, which the content manager caches apart from the document, and the History panel.
 * Invalidates what the content manager's own Save invalidates. Needed after every server-side write:
 * the form would otherwise hold the old standing or the old draft, and the next Save would write them
 * back.
 */
export function useReloadEditView(model: string, documentId: string | undefined) {
  const dispatch = useDispatch();
  return React.useCallback(() => {
    if (documentId) {
      dispatch(
        contentManagerApi.util.invalidateTags([
          { type: 'Document', id: `${model}_${documentId}` },
          { type: 'Document', id: `${model}_LIST` },
          'Relations',
          'RecentDocumentList',
        ])
      );
    }
    announceHistoryChange();
  }, [dispatch, model, documentId]);
}
