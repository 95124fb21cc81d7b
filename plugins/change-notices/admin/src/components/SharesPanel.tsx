import * as React from 'react';
import { Box, Button, Dialog, Flex, Loader, Status, Typography } from '@strapi/design-system';
import { useDocumentRBAC, useNotification } from '@strapi/strapi/admin';
import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import type { Share, ShareReach } from '../../../src/shared/contracts';
import { isAbort, toProblem, useChangeNoticesApi } from '../api';
import { formatExact, formatRelative } from '../format';
import { useHistoryGeneration } from '../refresh';
import { SHARE_STATE_LABELS, SHARE_STATE_VARIANTS, activityLine, reachLine } from '../share-format';
import { kindOfModel } from '../subjects';
import { Notice } from './Notice';

type SharesState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; reach: ShareReach; shares: Share[] };

/**
 * An item's share links, loaded on mount, whenever `revision` changes and whenever this plugin changed
 * a history (a retraction withdraws links). `reload` keeps the list on screen while it refreshes.
 */
export function useItemShares(documentId: string, revision: unknown = null): [SharesState, () => void] {
  const api = useChangeNoticesApi();
  const generation = useHistoryGeneration();
  const [state, setState] = React.useState<SharesState>({ status: 'loading' });
  const [attempt, setAttempt] = React.useState(0);
  React.useEffect(() => {
    let current = true;
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    api.itemShares(documentId).then(
      (data) => current && setState({ status: 'ready', ...data }),
      (error) => {
        if (!current || isAbort(error)) return;
        setState({ status: 'error', message: toProblem(error).message });
      }
    );
    return () => {
      current = false;
    };
  }, [api, documentId, revision, generation, attempt]);
  return [state, React.useCallback(() => setAttempt((n) => n + 1), [])];
}

/** "Revoke" for one active link, behind a confirmation naming the buyer. */
function RevokeShareButton({ share, onRevoked }: { share: Share; onRevoked: () => void }) {
  const api = useChangeNoticesApi();
  const { toggleNotification } = useNotification();
  const [open, setOpen] = React.useState(false);
  const [busy, setBusy] = React.useState(false);

  const revoke = async () => {
    setBusy(true);
    try {
      await api.revokeShare(share.id);
      setOpen(false);
      toggleNotification({ type: 'success', message: `${share.buyer.name}'s link no longer opens.` });
      onRevoked();
    } catch (error) {
      if (!isAbort(error)) toggleNotification({ type: 'danger', message: `The link could not be revoked: ${toProblem(error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={(next) => !busy && setOpen(next)}>
      <Dialog.Trigger>
        <Button variant="danger-light" size="S">
          Revoke
        </Button>
      </Dialog.Trigger>
      <Dialog.Content>
        <Dialog.Header>Revoke {share.buyer.name}'s link?</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            <Typography tag="p" variant="omega">
              {share.buyer.name} ({share.buyer.company}) sees a page saying the link was revoked, instead of “{share.item.title}”. This cannot be
              undone: {share.sharedBy.name} can send a new link.
            </Typography>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary" fullWidth disabled={busy}>
              Cancel
            </Button>
          </Dialog.Cancel>
          <Button variant="danger" fullWidth loading={busy} onClick={revoke}>
            Revoke the link
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
}

function ShareItem({ share, canRevoke, onRevoked }: { share: Share; canRevoke: boolean; onRevoked: () => void }) {
  const expiry = share.state === 'expired' ? 'Expired' : 'Expires';
  return (
    <Box tag="li" paddingTop={3} paddingBottom={3} borderColor="neutral150" borderStyle="solid" borderWidth="1px 0 0 0">
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Flex justifyContent="space-between" alignItems="flex-start" gap={2}>
          <Flex direction="column" alignItems="flex-start" gap={1} style={{ minWidth: 0 }}>
            <Typography tag="h3" variant="omega" fontWeight="bold" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
              {share.buyer.name}
            </Typography>
            <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
              {share.buyer.company}
            </Typography>
          </Flex>
          <Status variant={SHARE_STATE_VARIANTS[share.state]} size="S">
            <Typography variant="pi" fontWeight="bold">
              {SHARE_STATE_LABELS[share.state]}
            </Typography>
          </Status>
        </Flex>
        {/* On a line of its own: in the narrow side panel an address breaks mid-word next to anything else. */}
        <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
          {share.buyer.email}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          Shared by {share.sharedBy.name}, <time dateTime={share.createdAt} title={formatExact(share.createdAt)}>{formatRelative(share.createdAt)}</time>
          {share.allowDownload ? '' : ' · no downloads'}
        </Typography>
        {share.state === 'revoked' && share.revokedAt ? (
          <Typography variant="pi" textColor="neutral600">
            Revoked <time dateTime={share.revokedAt}>{formatRelative(share.revokedAt)}</time>
          </Typography>
        ) : share.state === 'withdrawn' || share.state === 'replaced' ? (
          <Typography variant="pi" textColor="neutral600">
            {share.state === 'withdrawn' ? 'The item was retracted: the link shows the withdrawal note.' : `${share.sharedBy.name} sent the replacement instead.`}
          </Typography>
        ) : (
          <Typography variant="pi" textColor="neutral600">
            {expiry} <time dateTime={share.expiresAt} title={formatExact(share.expiresAt)}>{formatRelative(share.expiresAt)}</time> ·{' '}
            {formatExact(share.expiresAt)}
          </Typography>
        )}
        <Typography variant="pi" textColor="neutral800">
          {activityLine(share.activity)}
        </Typography>
        {canRevoke && share.state === 'active' ? (
          <Flex paddingTop={1}>
            <RevokeShareButton share={share} onRevoked={onRevoked} />
          </Flex>
        ) : null}
      </Flex>
    </Box>
  );
}

interface ShareListProps {
  state: SharesState;
  reload: () => void;
  canRevoke: boolean;
  /** Next to the reach, how many links still open the item (not wanted where all were withdrawn). */
  countActive?: boolean;
}

/** The reach line and the links, newest first as the server lists them; used by the panel and the notice page. */
export function ShareList({ state, reload, canRevoke, countActive = true }: ShareListProps) {
  if (state.status === 'loading') {
    return (
      <Flex justifyContent="center" padding={2}>
        <Loader small>Loading the share links</Loader>
      </Flex>
    );
  }
  if (state.status === 'error') {
    return (
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Notice variant="danger" title="The share links could not be loaded" role="alert">
          {state.message}
        </Notice>
        <Button variant="secondary" size="S" onClick={reload}>
          Try again
        </Button>
      </Flex>
    );
  }
  if (state.shares.length === 0) {
    return (
      <Typography variant="pi" textColor="neutral600">
        No buyer has a link to this item.
      </Typography>
    );
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="pi" fontWeight="bold" textColor="neutral700">
        {reachLine(state.reach, countActive ? state.shares : null)}
      </Typography>
      <Box tag="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {state.shares.map((share) => (
          <ShareItem key={share.id} share={share} canRevoke={canRevoke} onRevoked={reload} />
        ))}
      </Box>
    </Flex>
  );
}

function SharesPanelContent({ documentId, revision }: { documentId: string; revision: string }) {
  const [state, reload] = useItemShares(documentId, revision);
  // Revoking needs the plugin's changeStanding permission; the server checks it, the edit view's
  // update right is the closest signal the content manager gives a panel (as for the standing actions).
  const canUpdate = useDocumentRBAC('ChangeNoticesShares', (rbac) => rbac.canUpdate, false);
  return <ShareList state={state} reload={reload} canRevoke={canUpdate !== false} />;
}

/** The "Shared with buyers" side panel, on the edit view of saved collateral only. */
export const SharesPanel: PanelComponent = ({ model, documentId, document }) => {
  if (kindOfModel(model) !== 'collateral' || !documentId) return null;
  const doc = document as Record<string, unknown> | undefined;
  return {
    title: 'Shared with buyers',
    content: <SharesPanelContent documentId={documentId} revision={JSON.stringify([doc?.updatedAt, doc?.standingChangedAt])} />,
  };
};
SharesPanel.displayName = 'ChangeNoticesSharesPanel';
