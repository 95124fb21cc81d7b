import * as React from 'react';
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { ChevronDown, ChevronUp } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import type { SubjectKind, VersionView } from '../../../src/shared/contracts';
import { isAbort, toProblem, useChangeNoticesApi } from '../api';
import { CAUSE_LABELS, formatExact, formatRelative } from '../format';
import { VersionChanges } from './FieldDiff';
import { RestoreVersionButton } from './RestoreVersionButton';
import { StandingBadge } from './StandingBadge';

interface VersionItemProps {
  kind: SubjectKind;
  model: string;
  documentId: string;
  version: VersionView;
  /** The newest version is what is published now: restoring it would only throw away the draft. */
  isLatest: boolean;
  canRestore: boolean;
  /** Marketing may mark collateral versions fit for buyers (the server checks changeStanding). */
  canMarkSafe: boolean;
  /** After a version's customer-safe flag changed: the panel reloads the list. */
  onChanged: () => void;
}

/**
 * "Safe for buyers" / "Not for buyers" on one collateral version. While the item is scaled back, buyers'
 * share links serve the newest version marked safe, so this is a decision about what buyers read.
 */
function CustomerSafeButton({ documentId, version, onChanged }: { documentId: string; version: VersionView; onChanged: () => void }) {
  const api = useChangeNoticesApi();
  const { toggleNotification } = useNotification();
  const [busy, setBusy] = React.useState(false);
  const safe = version.customerSafe === true;

  const toggle = async () => {
    setBusy(true);
    try {
      await api.setCustomerSafe(documentId, version.number, !safe);
      toggleNotification({
        type: 'success',
        message: safe ? `Version ${version.number} is no longer offered to buyers.` : `Version ${version.number} is marked safe for buyers.`,
      });
      onChanged();
    } catch (error) {
      if (!isAbort(error)) toggleNotification({ type: 'danger', message: `Version ${version.number} could not be changed: ${toProblem(error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button variant="tertiary" size="S" loading={busy} onClick={toggle} aria-pressed={safe}>
      {safe ? 'Not for buyers' : 'Safe for buyers'}
    </Button>
  );
}

export function VersionItem({ kind, model, documentId, version, isLatest, canRestore, canMarkSafe, onChanged }: VersionItemProps) {
  const [expanded, setExpanded] = React.useState(false);
  const changesId = React.useId();
  // The first version is compared with nothing: its "changes" are every field, which says nothing.
  const hasDiff = version.number > 1 && version.changes.length > 0;
  const markable = kind === 'collateral' && canMarkSafe;
  const author = version.author.kind === 'system' ? `${version.author.name} (automatic)` : version.author.name;

  return (
    <Box tag="li" paddingTop={3} paddingBottom={3} borderColor="neutral150" borderStyle="solid" borderWidth="1px 0 0 0">
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Flex justifyContent="space-between" alignItems="center" gap={2} wrap="wrap">
          <Typography tag="h3" variant="omega" fontWeight="bold" textColor="neutral800">
            Version {version.number}
            {isLatest ? (
              <Typography variant="pi" fontWeight="regular" textColor="neutral600">
                {' '}
                · current
              </Typography>
            ) : null}
          </Typography>
          <Flex gap={1} wrap="wrap">
            {kind === 'collateral' && version.customerSafe ? (
              <Badge size="S" variant="alternative">
                Safe for buyers
              </Badge>
            ) : null}
            <StandingBadge standing={version.standing} />
          </Flex>
        </Flex>
        <Typography variant="pi" textColor="neutral600">
          {CAUSE_LABELS[version.cause]} by {author}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          <time dateTime={version.createdAt}>{formatRelative(version.createdAt)}</time> · {formatExact(version.createdAt)}
        </Typography>
        <Typography tag="p" variant="omega" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
          {version.summary}
        </Typography>
        {version.note ? (
          <Box background="neutral100" hasRadius padding={2} marginTop={1}>
            <Typography variant="pi" textColor="neutral800" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              <Typography variant="pi" fontWeight="bold">
                Note:
              </Typography>{' '}
              {version.note}
            </Typography>
          </Box>
        ) : null}
        {hasDiff || (!isLatest && canRestore) || markable ? (
          <Flex gap={2} wrap="wrap" paddingTop={1}>
            {hasDiff ? (
              <Button
                variant="ghost"
                size="S"
                endIcon={expanded ? <ChevronUp /> : <ChevronDown />}
                aria-expanded={expanded}
                aria-controls={expanded ? changesId : undefined}
                onClick={() => setExpanded((open) => !open)}
              >
                {expanded ? 'Hide changes' : 'Show changes'}
              </Button>
            ) : null}
            {!isLatest && canRestore ? <RestoreVersionButton kind={kind} model={model} documentId={documentId} version={version} /> : null}
            {markable ? <CustomerSafeButton documentId={documentId} version={version} onChanged={onChanged} /> : null}
          </Flex>
        ) : null}
        {hasDiff && expanded ? <VersionChanges id={changesId} changes={version.changes} /> : null}
      </Flex>
    </Box>
  );
}
