import * as React from 'react';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import { SUBJECT_KINDS, type StandingChange, type SubjectKind, type VersionView } from '../../src/shared/contracts';
import { PLUGIN_ID } from './pluginId';

/** What POST /standing answers with (the server's StandingResult). */
export interface StandingChangeResult {
  documentId: string;
  standing: StandingChange['standing'];
  version: number;
  /** False when the same change had already been recorded: nothing new happened. */
  changed: boolean;
  /** Claims only: how many published collateral items now need review. */
  flaggedCollateral: number;
}

/** A collateral item the retraction dialog can offer as the replacement. */
export interface CollateralOption {
  documentId: string;
  title: string;
  kind: string | null;
}

export interface CollateralPage {
  items: CollateralOption[];
  page: number;
  pageCount: number;
}

/** A failed request, reduced to what the UI shows: one message and, for 400s, messages per field. */
export interface ApiProblem {
  status: number | null;
  message: string;
  fields: Record<string, string>;
}

/** Turns anything a request threw into an ApiProblem; field paths come from `details.errors[].path`. */
export function toProblem(error: unknown): ApiProblem {
  if (isFetchError(error)) {
    const body = error.response?.data?.error as
      | { message?: string; details?: { errors?: Array<{ path?: unknown; message?: string }> } }
      | undefined;
    const fields: Record<string, string> = {};
    for (const issue of body?.details?.errors ?? []) {
      const field = Array.isArray(issue.path) ? String(issue.path[0] ?? '') : '';
      if (field && issue.message && !fields[field]) fields[field] = issue.message;
    }
    return { status: error.status ?? null, message: body?.message || error.message || 'The request failed.', fields };
  }
  return { status: null, message: error instanceof Error ? error.message : 'The request failed.', fields: {} };
}

/** Aborted requests (the component went away) are not worth telling anyone about. */
export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

const subjectPath = (resource: 'versions' | 'standing', kind: SubjectKind, documentId: string) =>
  `/${PLUGIN_ID}/${resource}/${kind}/${encodeURIComponent(documentId)}`;

/** The plugin's admin API and the content manager's collateral search, with the admin's token. */
export function useChangeNoticesApi() {
  const { get, post } = useFetchClient();
  return React.useMemo(
    () => ({
      async versions(kind: SubjectKind, documentId: string): Promise<VersionView[]> {
        const res = await get<{ data: VersionView[] }>(subjectPath('versions', kind, documentId));
        return res.data.data;
      },

      async restore(kind: SubjectKind, documentId: string, number: number): Promise<void> {
        await post(`${subjectPath('versions', kind, documentId)}/${number}/restore`);
      },

      async changeStanding(kind: SubjectKind, documentId: string, change: StandingChange): Promise<StandingChangeResult> {
        const res = await post<{ data: StandingChangeResult }>(subjectPath('standing', kind, documentId), change);
        return res.data.data;
      },

      /**
       * Published, non-retracted collateral other than `excludeId`, searched by the content manager's
       * `_q`. The query string is encoded here: the fetch client serializes params without encoding.
       */
      async searchCollateral(input: { search: string; excludeId: string; page: number }): Promise<CollateralPage> {
        const query = new URLSearchParams({
          status: 'published',
          page: String(input.page),
          pageSize: '20',
          sort: 'title:ASC',
          'filters[$and][0][standing][$ne]': 'retracted',
          'filters[$and][1][documentId][$ne]': input.excludeId,
        });
        if (input.search.trim()) query.set('_q', input.search.trim());
        const res = await get<{ results: Array<Record<string, unknown>>; pagination: { page: number; pageCount: number } }>(
          `/content-manager/collection-types/${SUBJECT_KINDS.collateral}`,
          { params: query.toString() }
        );
        return {
          items: res.data.results.map((row) => ({
            documentId: String(row.documentId),
            title: typeof row.title === 'string' && row.title ? row.title : 'Untitled',
            kind: typeof row.kind === 'string' ? row.kind : null,
          })),
          page: res.data.pagination.page,
          pageCount: res.data.pagination.pageCount,
        };
      },
    }),
    [get, post]
  );
}
