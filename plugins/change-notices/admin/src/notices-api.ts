import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import {
  adminNoticeDetailResponseSchema,
  adminNoticeListResponseSchema,
  contentRequestsResponseSchema,
  deadLettersResponseSchema,
  duplicateGroupsResponseSchema,
  mergeResponseSchema,
  outboxStatsResponseSchema,
  retryResponseSchema,
  weeklyUpdateResponseSchema,
  type AdminNoticeDetail,
  type AdminNoticeListResponse,
  type ContentRequestsResponse,
  type DeadLetter,
  type DuplicateGroup,
  type MergeResponse,
  type NoticeListQuery,
  type OutboxStats,
  type WeeklyUpdate,
} from '../../src/shared/contracts';
import { isAbort, parseResponse, toProblem } from './api';
import { PLUGIN_ID } from './pluginId';

/** The admin API behind the Change notices page, with the signed-in admin's token. */
export function useNoticesAdminApi() {
  const { get, post } = useFetchClient();
  return React.useMemo(
    () => ({
      async notices(query: NoticeListQuery): Promise<AdminNoticeListResponse> {
        const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
        if (query.urgency) params.set('urgency', query.urgency);
        const path = `/${PLUGIN_ID}/notices`;
        return parseResponse(adminNoticeListResponseSchema, (await get(path, { params: params.toString() })).data, path);
      },
      async notice(id: number): Promise<AdminNoticeDetail> {
        const path = `/${PLUGIN_ID}/notices/${id}`;
        return parseResponse(adminNoticeDetailResponseSchema, (await get(path)).data, path).data;
      },
      async deadLetters(): Promise<DeadLetter[]> {
        const path = `/${PLUGIN_ID}/dead-letters`;
        return parseResponse(deadLettersResponseSchema, (await get(path)).data, path).data;
      },
      async retry(outboxId: number): Promise<void> {
        const path = `/${PLUGIN_ID}/dead-letters/${outboxId}/retry`;
        parseResponse(retryResponseSchema, (await post(path, {})).data, path);
      },
      async outboxStats(): Promise<OutboxStats> {
        const path = `/${PLUGIN_ID}/outbox/stats`;
        return parseResponse(outboxStatsResponseSchema, (await get(path)).data, path).data;
      },
      async weeklyUpdate(): Promise<WeeklyUpdate> {
        const path = `/${PLUGIN_ID}/weekly-update`;
        return parseResponse(weeklyUpdateResponseSchema, (await get(path)).data, path).data;
      },
      async duplicates(): Promise<DuplicateGroup[]> {
        const path = `/${PLUGIN_ID}/files/duplicates`;
        return parseResponse(duplicateGroupsResponseSchema, (await get(path)).data, path).data;
      },
      async merge(keep: string, merge: string[]): Promise<MergeResponse['data']> {
        const path = `/${PLUGIN_ID}/files/duplicates/merge`;
        return parseResponse(mergeResponseSchema, (await post(path, { keep, merge })).data, path).data;
      },
      async contentRequests(days: number): Promise<ContentRequestsResponse> {
        const path = `/${PLUGIN_ID}/search/content-requests`;
        return parseResponse(contentRequestsResponseSchema, (await get(path, { params: `days=${days}&limit=100` })).data, path);
      },
    }),
    [get, post]
  );
}

export type LoadState<T> = { status: 'loading' } | { status: 'error'; message: string; httpStatus: number | null } | { status: 'ready'; data: T };

/**
 * Runs `load` whenever its dependencies change or `reload()` is called. A reload keeps the data on
 * screen while it refreshes, so a Retry or a page change does not flash a loader over the table.
 */
export function useLoad<T>(load: () => Promise<T>, deps: React.DependencyList): [LoadState<T>, () => void] {
  const [state, setState] = React.useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = React.useState(0);
  React.useEffect(() => {
    let current = true;
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    load().then(
      (data) => current && setState({ status: 'ready', data }),
      (error) => {
        if (!current || isAbort(error)) return;
        const problem = toProblem(error);
        setState({ status: 'error', message: problem.message, httpStatus: problem.status });
      }
    );
    return () => {
      current = false;
    };
    // The caller's deps decide when to load; `load` itself is a new closure on every render.
  }, [...deps, attempt]);
  const reload = React.useCallback(() => setAttempt((n) => n + 1), []);
  return [state, reload];
}
