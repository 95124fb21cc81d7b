import * as React from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Badge, Box, Button, EmptyStateLayout, Field, Flex, Link, Modal, SingleSelect, SingleSelectOption, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { SUBJECT_KINDS, type DuplicateGroup, type Standing } from '../../../../src/shared/contracts';
import { isAbort, toProblem } from '../../api';
import { formatExact, formatRelative } from '../../format';
import { Notice } from '../Notice';
import { useLoad, useNoticesAdminApi } from '../../notices-api';
import { StandingBadge } from '../StandingBadge';
import { plural } from './labels';
import { ColumnHeads, LoadFailed } from './TableParts';

type GroupFile = DuplicateGroup['files'][number];

/** How a file compares with the group's newest: the same file, or how much of the text (never "100 %" unless it is). */
function sameness(file: GroupFile, files: GroupFile[]): string {
  if (file === files[0]) return '—';
  if (file.sameBytes) return 'The same file';
  const share = `${Math.min(99, Math.floor(file.similarity * 100))} % of the text`;
  const copy = file.copyOf === null ? undefined : files.find((f) => f.fileId === file.copyOf);
  return copy ? `${share}; the same file as “${copy.name}”` : share;
}

const itemPath = (documentId: string) => `/content-manager/collection-types/${SUBJECT_KINDS.collateral}/${documentId}`;

/** The group's published, current items, in the order of their newest file (the first is kept by default). */
function currentItems(group: DuplicateGroup): { documentId: string; title: string }[] {
  const seen = new Map<string, { documentId: string; title: string }>();
  for (const f of group.files) for (const u of f.usedBy) if (u.published && u.standing !== 'retracted' && !seen.has(u.documentId)) seen.set(u.documentId, { documentId: u.documentId, title: u.title });
  return [...seen.values()];
}

/**
 * "Merge into one item": the marketer picks the item to keep; the others are retracted with it as
 * their replacement (reps who have them are told to use it) and it records the merge in its history.
 */
function MergeDialog({ group, onMerged }: { group: DuplicateGroup; onMerged: () => void }) {
  const api = useNoticesAdminApi();
  const { toggleNotification } = useNotification();
  const items = currentItems(group);
  const [open, setOpen] = React.useState(false);
  const [keep, setKeep] = React.useState(items[0]?.documentId ?? '');
  const [busy, setBusy] = React.useState(false);
  const [problem, setProblem] = React.useState<string | null>(null);
  if (items.length < 2) return null;
  const kept = items.find((i) => i.documentId === keep) ?? items[0]!;
  const others = items.filter((i) => i.documentId !== kept.documentId);
  const merge = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.merge(kept.documentId, others.map((i) => i.documentId));
      toggleNotification({ type: 'success', title: 'Merged', message: `${plural(result.merged.length, 'item')} now point to “${kept.title}”; their reps are being told to use it.` });
      setOpen(false);
      onMerged();
    } catch (error) {
      if (!isAbort(error)) setProblem(toProblem(error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal.Root open={open} onOpenChange={setOpen}>
      <Modal.Trigger>
        <Button variant="secondary">Merge into one item…</Button>
      </Modal.Trigger>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>Merge {items.length} items into one</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Field.Root name="keep" hint="By default the item with the newest file.">
              <Field.Label>Keep</Field.Label>
              <SingleSelect value={kept.documentId} onChange={(value: string | number) => setKeep(String(value))}>
                {items.map((i) => (
                  <SingleSelectOption key={i.documentId} value={i.documentId}>
                    {i.title}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
            <Typography variant="omega" textColor="neutral700">
              {others.map((i) => `“${i.title}”`).join(', ')} {others.length === 1 ? 'is' : 'are'} retracted with “{kept.title}” as the replacement: reps who have{' '}
              {others.length === 1 ? 'it' : 'them'} get an action-required notice naming “{kept.title}”, their pages point there, and search shows only “{kept.title}”. Its history records the merge.
            </Typography>
            {problem ? (
              <Notice variant="danger" title="The items were not merged" role="alert">
                {problem}
              </Notice>
            ) : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary" disabled={busy}>
              Cancel
            </Button>
          </Modal.Close>
          <Button variant="danger" loading={busy} onClick={merge}>
            Merge into “{kept.title}”
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
}

/**
 * Copies and near-duplicates across the library: each group is files that are the same bytes or say
 * almost the same thing, newest first, with the items using them. What marketing merges into one
 * item (the newest file current, the older ones its earlier versions) so reps stop finding five.
 */
export function DuplicatesPanel({ generation }: { generation: number }) {
  const api = useNoticesAdminApi();
  const [state, reload] = useLoad(() => api.duplicates(), [api, generation]);

  const intro = (
    <Typography variant="omega" textColor="neutral700">
      Files whose text is at least 80 % the same (or that are the very same file), across every item. Merge each group into one item, with the newest file current, so reps find one version of the truth.
    </Typography>
  );
  let body: React.ReactNode;
  if (state.status === 'loading') body = <Typography textColor="neutral600">Looking for copies…</Typography>;
  else if (state.status === 'error') body = <LoadFailed title="The copies could not be loaded" message={state.message} onRetry={reload} />;
  else if (state.data.length === 0) body = <EmptyStateLayout content="No two files say almost the same thing." hasRadius shadow="tableShadow" />;
  else {
    body = state.data.map((group) => (
      <Box key={group.files[0]!.fileId} background="neutral0" hasRadius shadow="tableShadow" padding={4} data-testid="duplicate-group">
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
            <Typography variant="delta" tag="h3">
              These {group.files.length} files say almost the same thing
              <Typography variant="omega" textColor="neutral600">
                {' '}
                · used by {plural(group.items, 'item')}
              </Typography>
            </Typography>
            <MergeDialog group={group} onMerged={reload} />
          </Flex>
          <Table colCount={4} rowCount={group.files.length + 1}>
            <ColumnHeads labels={['File', 'Same as the newest', 'Uploaded', 'Used by']} />
            <Tbody>
              {group.files.map((file, i) => (
                <Tr key={file.fileId}>
                  <Td style={{ whiteSpace: 'normal' }}>
                    <Flex gap={2} wrap="wrap">
                      <Typography variant="omega" fontWeight="semiBold" textColor="neutral800">
                        {file.name}
                      </Typography>
                      {i === 0 ? <Badge>Newest</Badge> : null}
                    </Flex>
                  </Td>
                  <Td style={{ whiteSpace: 'normal' }}>
                    <Typography variant="omega">{sameness(file, group.files)}</Typography>
                  </Td>
                  <Td>
                    <Typography variant="omega" title={file.uploadedAt ? formatExact(file.uploadedAt) : undefined}>
                      {file.uploadedAt ? formatRelative(file.uploadedAt) : '—'}
                    </Typography>
                  </Td>
                  <Td style={{ whiteSpace: 'normal' }}>
                    {file.usedBy.length ? (
                      <Flex direction="column" alignItems="flex-start" gap={1}>
                        {file.usedBy.map((item) => (
                          <Flex key={item.documentId} gap={2} wrap="wrap">
                            <Link tag={RouterLink} to={itemPath(item.documentId)}>
                              {item.title}
                            </Link>
                            <StandingBadge standing={item.standing as Standing} />
                            {item.published ? null : <Typography variant="pi" textColor="neutral600">draft</Typography>}
                          </Flex>
                        ))}
                      </Flex>
                    ) : (
                      <Typography variant="omega" textColor="neutral600">
                        No item
                      </Typography>
                    )}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Flex>
      </Box>
    ));
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {intro}
      {body}
    </Flex>
  );
}
