import * as React from 'react';
import { Box, EmptyStateLayout, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { formatExact, formatRelative } from '../../format';
import { useLoad, useNoticesAdminApi } from '../../notices-api';
import { plural } from './labels';
import { ColumnHeads, LoadFailed } from './TableParts';

const PERIODS = [7, 30, 90, 365];

/**
 * Searches in the portal that found nothing, grouped by query: what sales looked for and marketing
 * has not written (yet), most asked first.
 */
export function ContentRequestsTable({ generation }: { generation: number }) {
  const api = useNoticesAdminApi();
  const [days, setDays] = React.useState(30);
  const [state, reload] = useLoad(() => api.contentRequests(days), [api, days, generation]);

  const header = (
    <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
      <Typography variant="omega" textColor="neutral700">
        Searches by reps in the portal that found nothing, most asked first. Each is something sales needs and cannot find: a content request.
      </Typography>
      <Box width="18rem">
        <SingleSelect aria-label="Period" size="S" value={String(days)} onChange={(value: string | number) => setDays(Number(value))}>
          {PERIODS.map((d) => (
            <SingleSelectOption key={d} value={String(d)}>
              Last {d} days
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Box>
    </Flex>
  );

  let body: React.ReactNode;
  if (state.status === 'loading') body = <Typography textColor="neutral600">Loading content requests…</Typography>;
  else if (state.status === 'error') {
    body = <LoadFailed title="The content requests could not be loaded" message={state.message} onRetry={reload} />;
  } else if (state.data.data.length === 0) {
    body = <EmptyStateLayout content={`No search came up empty in the last ${days} days.`} hasRadius shadow="tableShadow" />;
  } else {
    const rows = state.data.data;
    body = (
      <Table colCount={4} rowCount={rows.length + 1}>
        <ColumnHeads labels={['What reps searched for', 'Searches', 'Reps', 'Last searched']} />
        <Tbody>
          {rows.map((row) => (
            <Tr key={row.query}>
              <Td style={{ whiteSpace: 'normal' }}>
                <Typography variant="omega" fontWeight="semiBold" textColor="neutral800">
                  “{row.query}”
                </Typography>
              </Td>
              <Td>
                <Typography variant="omega">{row.count.toLocaleString('en')}</Typography>
              </Td>
              <Td>
                <Typography variant="omega">{plural(row.users, 'rep')}</Typography>
              </Td>
              <Td>
                <Typography variant="omega" title={formatExact(row.lastSeenAt)}>
                  {formatRelative(row.lastSeenAt)}
                </Typography>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    );
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {header}
      {body}
    </Flex>
  );
}
