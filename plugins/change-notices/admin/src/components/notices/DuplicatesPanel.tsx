import * as React from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Badge, Box, EmptyStateLayout, Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { SUBJECT_KINDS, type DuplicateGroup, type Standing } from '../../../../src/shared/contracts';
import { formatExact, formatRelative } from '../../format';
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
          <Typography variant="delta" tag="h3">
            These {group.files.length} files say almost the same thing
            <Typography variant="omega" textColor="neutral600">
              {' '}
              · used by {plural(group.items, 'item')}
            </Typography>
          </Typography>
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
