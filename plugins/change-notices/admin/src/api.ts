import * as React from 'react';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import type { z } from 'zod';
import {
  describeIssues,
  claimLinkResponseSchema,
  claimMentionsResponseSchema,
  fileTextStatusResponseSchema,
  itemSharesResponseSchema,
  restoreResponseSchema,
  shareResponseSchema,
  standingChangeResponseSchema,
  SUBJECT_KINDS,
  versionListResponseSchema,
  versionResponseSchema,
  type Share,
  type ShareReach,
  type StandingChange,
  type ClaimMentionsResponse,
  type FileTextStatus,
  type StandingResult,
  type SubjectKind,
  type VersionView,
} from '../../src/shared/contracts';
import { PLUGIN_ID } from './pluginId';

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

/**
 * The plugin's answer checked with its contract, the schema the controller shaped it with. A mismatch
 * (an admin bundle older or newer than the server) fails the request with a message, instead of a
 * page that renders half of an unexpected answer.
 */
export function parseResponse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new Error(`The server's answer to ${what} has an unexpected shape (${describeIssues(parsed.error)}). Reload the page; if it persists, the admin and the server are out of step.`, { cause: parsed.error });
}

/** Aborted requests (the component went away) are not worth telling anyone about. */
export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

const subjectPath = (resource: 'versions' | 'standing', kind: SubjectKind, documentId: string) =>
  `/${PLUGIN_ID}/${resource}/${kind}/${encodeURIComponent(documentId)}`;

/** The plugin's admin API and the content manager's collateral search, with the admin's token. */
export function useChangeNoticesApi() {
  const { get, post, put } = useFetchClient();
  return React.useMemo(
    () => ({
      async versions(kind: SubjectKind, documentId: string): Promise<VersionView[]> {
        const path = subjectPath('versions', kind, documentId);
        return parseResponse(versionListResponseSchema, (await get(path)).data, path).data;
      },

      /** What the worker read from each of a collateral's files. */
      async fileTexts(documentId: string): Promise<FileTextStatus[]> {
        const path = `/${PLUGIN_ID}/files/collateral/${encodeURIComponent(documentId)}`;
        return parseResponse(fileTextStatusResponseSchema, (await get(path)).data, path).data;
      },

      /** Collateral that mentions the claim without being linked to it. */
      async claimMentions(claimDocumentId: string): Promise<ClaimMentionsResponse> {
        const path = `/${PLUGIN_ID}/claims/${encodeURIComponent(claimDocumentId)}/mentions`;
        return parseResponse(claimMentionsResponseSchema, (await get(path)).data, path);
      },

      async linkMention(claimDocumentId: string, collateralDocumentId: string): Promise<{ version: number | null; flagged: boolean }> {
        const path = `/${PLUGIN_ID}/claims/${encodeURIComponent(claimDocumentId)}/mentions/${encodeURIComponent(collateralDocumentId)}/link`;
        return parseResponse(claimLinkResponseSchema, (await post(path)).data, path).data;
      },

      async restore(kind: SubjectKind, documentId: string, number: number): Promise<void> {
        const path = `${subjectPath('versions', kind, documentId)}/${number}/restore`;
        parseResponse(restoreResponseSchema, (await post(path)).data, path);
      },

      /** Marks a collateral version fit (or not) for buyers holding a share link. */
      async setCustomerSafe(documentId: string, number: number, customerSafe: boolean): Promise<VersionView> {
        const path = `${subjectPath('versions', 'collateral', documentId)}/${number}/customer-safe`;
        return parseResponse(versionResponseSchema, (await put(path, { customerSafe })).data, path).data;
      },

      /** Every share link of a collateral item, with their reach summed. */
      async itemShares(documentId: string): Promise<{ reach: ShareReach; shares: Share[] }> {
        const path = `/${PLUGIN_ID}/shares/items/${encodeURIComponent(documentId)}`;
        return parseResponse(itemSharesResponseSchema, (await get(path)).data, path).data;
      },

      async revokeShare(id: number): Promise<Share> {
        const path = `/${PLUGIN_ID}/shares/${id}/revoke`;
        return parseResponse(shareResponseSchema, (await post(path, {})).data, path).data;
      },

      async changeStanding(kind: SubjectKind, documentId: string, change: StandingChange): Promise<StandingResult> {
        const path = subjectPath('standing', kind, documentId);
        return parseResponse(standingChangeResponseSchema, (await post(path, change)).data, path).data;
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
    [get, post, put]
  );
}
