import * as React from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { useDocumentRBAC } from '@strapi/strapi/admin';
import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import type { SubjectKind, VersionView } from '../../../src/shared/contracts';
import { isAbort, toProblem, useChangeNoticesApi } from '../api';
import { useHistoryGeneration } from '../refresh';
import { SUBJECT_NOUNS, hasPublishedVersion, kindOfModel, reviewOf, type EditViewDocument, type EditViewMeta } from '../subjects';
import { ClaimMentions } from './ClaimMentions';
import { FileTexts } from './FileTexts';
import { Notice } from './Notice';
import { VersionItem } from './VersionItem';

/** Versions shown before "Show older versions": enough for the recent story, short enough to scan. */
const FIRST_PAGE = 5;

type LoadState =
  | { status: 'loading' }
  | { status: 'unpublished' }
  | { status: 'error'; message: string }
  | { status: 'ready'; versions: VersionView[] };

interface HistoryPanelContentProps {
  kind: SubjectKind;
  model: string;
  documentId?: string;
  document?: EditViewDocument;
  meta?: EditViewMeta;
}

/**
 * Publishing through the content manager records a version on the server; the content manager then
 * refetches the document. Whatever it refetched changes this key, which reloads the history too.
 */
function revisionOf(document: EditViewDocument | undefined, meta: EditViewMeta | undefined): string {
  return JSON.stringify([
    document?.updatedAt,
    document?.publishedAt,
    document?.standingChangedAt,
    (meta?.availableStatus ?? []).map((other) => [other.publishedAt, other.updatedAt]),
  ]);
}

function HistoryPanelContent({ kind, model, documentId, document, meta }: HistoryPanelContentProps) {
  const api = useChangeNoticesApi();
  const generation = useHistoryGeneration();
  const canUpdate = useDocumentRBAC('ChangeNoticesHistory', (rbac) => rbac.canUpdate, false);
  const [state, setState] = React.useState<LoadState>({ status: 'loading' });
  const [attempt, setAttempt] = React.useState(0);
  const [showAll, setShowAll] = React.useState(false);
  const published = hasPublishedVersion(document, meta);
  const revision = revisionOf(document, meta);
  const review = reviewOf(kind, document);

  React.useEffect(() => {
    if (!documentId || !published) {
      setState({ status: 'unpublished' });
      return;
    }
    let current = true;
    // A refresh keeps the list on screen instead of flashing a loader.
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    api.versions(kind, documentId).then(
      (versions) => current && setState({ status: 'ready', versions }),
      (error) => {
        if (!current || isAbort(error)) return;
        const problem = toProblem(error);
        setState(problem.status === 404 ? { status: 'unpublished' } : { status: 'error', message: problem.message });
      }
    );
    return () => {
      current = false;
    };
  }, [api, kind, documentId, published, revision, generation, attempt]);

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      {review.needsReview ? (
        <Notice variant="warning" title="Needs review: a claim it makes changed">
          {review.note ?? 'A claim this collateral makes changed its standing.'}
          <Box paddingTop={1}>
            <Typography variant="pi" textColor="neutral700">
              Check that this collateral still tells the truth, then Reconfirm it, or Scale back or Retract it (under More document actions).
            </Typography>
          </Box>
        </Notice>
      ) : null}

      {state.status === 'loading' ? (
        <Flex justifyContent="center" padding={2}>
          <Loader small>Loading the version history</Loader>
        </Flex>
      ) : null}

      {state.status === 'unpublished' ? (
        <Typography variant="pi" textColor="neutral600">
          The history starts when this {SUBJECT_NOUNS[kind]} is first published. Reconfirm, Scale back and Retract are available from then on.
        </Typography>
      ) : null}

      {state.status === 'error' ? (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Notice variant="danger" title="The history could not be loaded" role="alert">
            {state.message}
          </Notice>
          <Button variant="secondary" size="S" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </Button>
        </Flex>
      ) : null}

      {state.status === 'ready' && documentId ? (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="pi" textColor="neutral600">
            {state.versions.length === 1 ? '1 published version' : `${state.versions.length} published versions, newest first`}
          </Typography>
          {kind === 'collateral' ? (
            <Typography variant="pi" textColor="neutral600">
              While this item is scaled back, buyers' links serve the newest version marked safe; otherwise they see your note.
            </Typography>
          ) : null}
          <Box tag="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {(showAll ? state.versions : state.versions.slice(0, FIRST_PAGE)).map((version, index) => (
              <VersionItem
                key={version.number}
                kind={kind}
                model={model}
                documentId={documentId}
                version={version}
                isLatest={index === 0}
                canRestore={canUpdate !== false}
                canMarkSafe={canUpdate !== false}
                onChanged={() => setAttempt((n) => n + 1)}
              />
            ))}
          </Box>
          {!showAll && state.versions.length > FIRST_PAGE ? (
            <Button variant="tertiary" size="S" onClick={() => setShowAll(true)}>
              Show {state.versions.length - FIRST_PAGE} older {state.versions.length - FIRST_PAGE === 1 ? 'version' : 'versions'}
            </Button>
          ) : null}
        </Flex>
      ) : null}

      {kind === 'collateral' && documentId ? <FileTexts documentId={documentId} revision={revision} /> : null}
      {kind === 'claim' && documentId && published ? <ClaimMentions claimDocumentId={documentId} revision={revision} canLink={canUpdate !== false} /> : null}
    </Flex>
  );
}

/** The History side panel, on the edit view of collateral and claims only. */
export const HistoryPanel: PanelComponent = ({ model, documentId, document, meta }) => {
  const kind = kindOfModel(model);
  if (!kind) return null;
  return {
    title: 'Version history',
    content: (
      <HistoryPanelContent
        kind={kind}
        model={model}
        documentId={documentId}
        document={document as EditViewDocument | undefined}
        meta={meta as EditViewMeta | undefined}
      />
    ),
  };
};
HistoryPanel.displayName = 'ChangeNoticesHistoryPanel';
