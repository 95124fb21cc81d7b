import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type {
  AdminNoticeDetail,
  AdminNoticeListResponse,
  ContentRequest,
  DeadLetter,
  NoticeListQuery,
  OutboxStats,
  WeeklyUpdate,
} from '../../src/shared/contracts';
import { isAbort, toProblem } from './api';
import { PLUGIN_ID } from './pluginId';

export interface ContentRequestsResponse {
  data: ContentRequest[];
  meta: { days: number; since: string };
}

/** The admin API behind the Change notices page, with the signed-in admin's token. */
export function useNoticesAdminApi() {
  const { get, post } = useFetchClient();
  return React.useMemo(
    () => ({
      async notices(query: NoticeListQuery): Promise<AdminNoticeListResponse> {
        const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
        if (query.urgency) params.set('urgency', query.urgency);
        return (await get<AdminNoticeListResponse>(`/${PLUGIN_ID}/notices`, { params: params.toString() })).data;
      },
      async notice(id: number): Promise<AdminNoticeDetail> {
        return (await get<{ data: AdminNoticeDetail }>(`/${PLUGIN_ID}/notices/${id}`)).data.data;
      },
      async deadLetters(): Promise<DeadLetter[]> {
        return (await get<{ data: DeadLetter[] }>(`/${PLUGIN_ID}/dead-letters`)).data.data;
      },
      async retry(outboxId: number): Promise<void> {
        await post(`/${PLUGIN_ID}/dead-letters/${outboxId}/retry`, {});
      },
      async outboxStats(): Promise<OutboxStats> {
        return (await get<{ data: OutboxStats }>(`/${PLUGIN_ID}/outbox/stats`)).data.data;
      },
      async weeklyUpdate(): Promise<WeeklyUpdate> {
        return (await get<{ data: WeeklyUpdate }>(`/${PLUGIN_ID}/weekly-update`)).data.data;
      },
      async contentRequests(days: number): Promise<ContentRequestsResponse> {
        return (await get<ContentRequestsResponse>(`/${PLUGIN_ID}/search/content-requests`, { params: `days=${days}&limit=100` })).data;
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
