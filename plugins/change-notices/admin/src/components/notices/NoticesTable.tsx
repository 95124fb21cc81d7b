import * as React from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Badge, Box, EmptyStateLayout, Flex, Link, SingleSelect, SingleSelectOption, Table, Tbody, Td, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { Pagination, useQueryParams } from '@strapi/strapi/admin';
import { DELIVERY_CHANNELS, URGENCIES, type AdminNoticeSummary, type ChannelCounts, type Urgency } from '../../../../src/shared/contracts';
import { formatExact, formatRelative } from '../../format';
import { useLoad, useNoticesAdminApi } from '../../notices-api';
import { CHANNEL_LABELS, URGENCY_LABELS, plural } from './labels';
import { ColumnHeads, LoadFailed } from './TableParts';

const PAGE_SIZES = ['10', '25', '50', '100'];

interface ListQuery {
  tab?: string;
  page?: string;
  pageSize?: string;
  urgency?: string;
}

/** ok / pending / failed for one channel: digests wait like pending sends. */
function summarize(counts: ChannelCounts) {
  return { ok: counts.sent ?? 0, pending: (counts.pending ?? 0) + (counts.digest ?? 0), failed: counts.failed ?? 0 };
}

function ChannelLine({ label, counts }: { label: string; counts: ChannelCounts }) {
  const { ok, pending, failed } = summarize(counts);
  // Only the counts there are: "2 ok · 1 failed" reads faster than a row of zeros.
  const parts = [
    ok ? { text: `${ok} ok`, color: 'success600' } : null,
    pending ? { text: `${pending} pending`, color: 'warning600' } : null,
    failed ? { text: `${failed} failed`, color: 'danger600' } : null,
  ].filter((part): part is { text: string; color: string } => part != null);
  return (
    <Flex gap={2} wrap="wrap">
      <Typography variant="pi" textColor="neutral700" style={{ minWidth: '8rem' }}>
        {label}
      </Typography>
      {parts.map((part) => (
        <Typography key={part.text} variant="pi" fontWeight="bold" textColor={part.color}>
          {part.text}
        </Typography>
      ))}
    </Flex>
  );
}

/** A thin bar of the share acknowledged; the design system's ProgressBar is made for dark backgrounds. */
const AckBar = ({ pct }: { pct: number }) => (
  <Box width="8rem" height="0.6rem" background="neutral150" hasRadius overflow="hidden" aria-hidden>
    <Box height="100%" background={pct >= 100 ? 'success500' : 'primary600'} style={{ width: `${pct}%` }} />
  </Box>
);

export function Acknowledgements({ notice }: { notice: Pick<AdminNoticeSummary, 'urgency' | 'acknowledged' | 'audience'> }) {
  if (notice.urgency !== 'action_required') {
    return (
      <Typography variant="pi" textColor="neutral600">
        Not asked (FYI)
      </Typography>
    );
  }
  const pct = notice.audience ? Math.round((notice.acknowledged / notice.audience) * 100) : 0;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="omega" textColor="neutral800">
        {notice.acknowledged} of {notice.audience}
      </Typography>
      <AckBar pct={pct} />
    </Flex>
  );
}

export const UrgencyBadge = ({ urgency }: { urgency: Urgency }) => (
  <Badge variant={urgency === 'action_required' ? 'danger' : 'neutral'} size="S">
    {URGENCY_LABELS[urgency]}
  </Badge>
);

/** Newest notices first, a page at a time, with deliveries per channel and acknowledgements. */
export function NoticesTable({ generation }: { generation: number }) {
  const api = useNoticesAdminApi();
  const [{ query }, setQuery] = useQueryParams<ListQuery>();
  const page = Math.max(1, Number(query.page) || 1);
  const pageSize = PAGE_SIZES.includes(String(query.pageSize)) ? Number(query.pageSize) : 25;
  const urgency = URGENCIES.includes(query.urgency as Urgency) ? (query.urgency as Urgency) : undefined;
  const [state, reload] = useLoad(() => api.notices({ page, pageSize, urgency }), [api, page, pageSize, urgency, generation]);

  const filter = (
    <Box width="22rem">
      <SingleSelect
        aria-label="Urgency"
        size="S"
        value={urgency ?? 'all'}
        onChange={(value: string | number) => setQuery({ urgency: value === 'all' ? undefined : String(value), page: '1' } as ListQuery)}
      >
        <SingleSelectOption value="all">All notices</SingleSelectOption>
        <SingleSelectOption value="action_required">Action required only</SingleSelectOption>
        <SingleSelectOption value="fyi">FYI only</SingleSelectOption>
      </SingleSelect>
    </Box>
  );

  if (state.status === 'loading') return <Typography textColor="neutral600">Loading notices…</Typography>;
  if (state.status === 'error') {
    return <LoadFailed title="The notices could not be loaded" message={state.message} onRetry={reload} />;
  }
  const { data, meta } = state.data;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
        {filter}
        <Typography variant="pi" textColor="neutral600">
          {plural(meta.pagination.total, 'notice')}
          {urgency ? ` (${URGENCY_LABELS[urgency]})` : ''}, newest first
        </Typography>
      </Flex>
      {data.length === 0 ? (
        <EmptyStateLayout
          content={urgency ? `No ${URGENCY_LABELS[urgency]} notices yet.` : 'No notices yet. Publishing, scaling back or retracting collateral or a claim tells sales here.'}
          hasRadius
          shadow="tableShadow"
        />
      ) : (
        <Table colCount={5} rowCount={data.length + 1}>
          <ColumnHeads labels={['Notice', 'Urgency', 'Created', 'Deliveries', 'Acknowledged']} />
          <Tbody>
            {data.map((notice) => (
              <Tr key={notice.id}>
                <Td style={{ whiteSpace: 'normal', maxWidth: '36rem', paddingTop: 12, paddingBottom: 12 }}>
                  <Flex direction="column" alignItems="flex-start" gap={1}>
                    <Link tag={RouterLink} to={`notices/${notice.id}`}>
                      {notice.headline}
                    </Link>
                    <Typography variant="pi" textColor="neutral600">
                      {notice.subject.kind === 'claim' ? 'Claim' : 'Collateral'}: {notice.subject.title}
                      {notice.subject.version != null ? ` · version ${notice.subject.version}` : ''} · by {notice.actor}
                    </Typography>
                  </Flex>
                </Td>
                <Td>
                  <UrgencyBadge urgency={notice.urgency} />
                </Td>
                <Td>
                  <Typography variant="omega" textColor="neutral800" title={formatExact(notice.createdAt)}>
                    {formatRelative(notice.createdAt)}
                  </Typography>
                  <VisuallyHidden>{formatExact(notice.createdAt)}</VisuallyHidden>
                </Td>
                <Td style={{ paddingTop: 12, paddingBottom: 12 }}>
                  <Flex direction="column" alignItems="stretch" gap={1}>
                    {DELIVERY_CHANNELS.filter((channel) => notice.channels[channel]).map((channel) => (
                      <ChannelLine key={channel} label={CHANNEL_LABELS[channel]} counts={notice.channels[channel]!} />
                    ))}
                    {DELIVERY_CHANNELS.every((channel) => !notice.channels[channel]) ? (
                      <Typography variant="pi" textColor="neutral600">
                        No recipients
                      </Typography>
                    ) : null}
                  </Flex>
                </Td>
                <Td>
                  <Acknowledgements notice={notice} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      <Pagination.Root pageCount={meta.pagination.pageCount} total={meta.pagination.total} defaultPageSize={pageSize} defaultPage={page}>
        <Pagination.PageSize options={PAGE_SIZES} />
        <Pagination.Links />
      </Pagination.Root>
    </Flex>
  );
}
