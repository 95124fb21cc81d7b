import * as React from 'react';
import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { ClockCounterClockwise } from '@strapi/icons';
import { useForm, useNotification } from '@strapi/strapi/admin';
import type { SubjectKind, VersionView } from '../../../src/shared/contracts';
import { isAbort, toProblem, useChangeNoticesApi } from '../api';
import { formatExact } from '../format';
import { useReloadEditView } from '../refresh';
import { SUBJECT_NOUNS } from '../subjects';
import { Notice } from './Notice';

interface RestoreVersionButtonProps {
  kind: SubjectKind;
  model: string;
  documentId: string;
  version: VersionView;
  disabled?: boolean;
}

/** "Restore into draft" for one old version, behind a confirmation that says what gets replaced. */
export function RestoreVersionButton({ kind, model, documentId, version, disabled }: RestoreVersionButtonProps) {
  const [open, setOpen] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const api = useChangeNoticesApi();
  const reload = useReloadEditView(model, documentId);
  const { toggleNotification } = useNotification();
  const hasUnsavedEdits = useForm('ChangeNoticesRestore', (state) => state.modified, false) === true;

  const restore = async () => {
    setBusy(true);
    try {
      await api.restore(kind, documentId, version.number);
      setOpen(false);
      reload();
      toggleNotification({
        type: 'success',
        title: `Version ${version.number} is in the draft`,
        message: 'Review it, then publish to make it the current version. Sales sees nothing until you publish.',
      });
    } catch (error) {
      if (!isAbort(error)) {
        toggleNotification({ type: 'danger', message: `Version ${version.number} could not be restored: ${toProblem(error).message}` });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={(next) => !busy && setOpen(next)}>
      <Dialog.Trigger>
        <Button variant="tertiary" size="S" startIcon={<ClockCounterClockwise />} disabled={disabled}>
          Restore into draft
        </Button>
      </Dialog.Trigger>
      <Dialog.Content>
        <Dialog.Header>Restore version {version.number} into the draft?</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            <Typography tag="p" variant="omega">
              The draft of this {SUBJECT_NOUNS[kind]} gets the content of version {version.number} ({formatExact(version.createdAt)}). Anything
              saved in the draft but not yet published is replaced.
            </Typography>
            <Typography tag="p" variant="omega">
              The standing does not change, and sales sees nothing until you review the draft and publish it.
            </Typography>
            {hasUnsavedEdits ? (
              <Notice variant="warning" title="You have unsaved changes">
                They are discarded when the restored draft loads.
              </Notice>
            ) : null}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary" fullWidth disabled={busy}>
              Cancel
            </Button>
          </Dialog.Cancel>
          <Button fullWidth loading={busy} onClick={restore} startIcon={<ClockCounterClockwise />}>
            Restore into draft
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
}
