import * as React from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { Badge, Box, Button, Flex, Grid, Link, Status, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { SUBJECT_KINDS, type AdminDelivery, type AdminNoticeDetail, type AdminRecipient, type Channel } from '../../../src/shared/contracts';
import { formatExact, formatRelative } from '../format';
import { useLoad, useNoticesAdminApi } from '../notices-api';
import { useRetry } from '../components/notices/DeadLettersTable';
import { Acknowledgements, UrgencyBadge } from '../components/notices/NoticesTable';
import { CHANNEL_LABELS, STATE_VARIANTS, deliveryStateLabel, plural } from '../components/notices/labels';
import { Notice } from '../components/Notice';
import { ShareList, useItemShares } from '../components/SharesPanel';

/** A collateral's retraction: the notices whose buyers' links were withdrawn with the item. */
const isCollateralRetraction = (notice: AdminNoticeDetail) =>
  notice.subject.kind === 'collateral' && /^Retracted\b/.test(notice.headline);

/**
 * How far the retraction reached outside the company: every buyer who holds a link to the item now
 * reads the withdrawal note instead of it. Read-only here; links are revoked from the item's edit view.
 */
function ShareReachBox({ documentId }: { documentId: string }) {
  const [state, reload] = useItemShares(documentId);
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2">
          Reach through share links
        </Typography>
        <Typography variant="omega" textColor="neutral700">
          Buyers whose links were still open now read the withdrawal note instead of the item; their reps were told which of their buyers have a link.
        </Typography>
        <ShareList state={state} reload={reload} canRevoke={false} countActive={false} />
      </Flex>
    </Box>
  );
}

/** One delivery: its state, attempts, when it went out, the last error and, when it gave up, Retry. */
function DeliveryCell({ delivery, onRetry, busy }: { delivery: AdminDelivery | undefined; onRetry: (d: AdminDelivery) => void; busy: number | null }) {
  if (!delivery) {
    return (
      <Typography variant="pi" textColor="neutral500">
        Not chosen
      </Typography>
    );
  }
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Status variant={STATE_VARIANTS[delivery.state]} size="S">
        <Typography variant="pi" fontWeight="bold">
          {deliveryStateLabel(delivery.state, delivery.channel)}
        </Typography>
      </Status>
      <Typography variant="pi" textColor="neutral600">
        {delivery.channel === 'inbox'
          ? delivery.readAt
            ? `Read ${formatRelative(delivery.readAt)}`
            : 'Not read yet'
          : [plural(delivery.attempts, 'attempt'), delivery.sentAt ? `sent ${formatRelative(delivery.sentAt)}` : null].filter(Boolean).join(' · ')}
      </Typography>
      {delivery.error ? (
        <Typography variant="pi" textColor="danger700" style={{ overflowWrap: 'anywhere', maxWidth: '26rem' }}>
          {delivery.error}
        </Typography>
      ) : null}
      {delivery.state === 'failed' && delivery.outboxId != null ? (
        <Button variant="secondary" size="S" startIcon={<ArrowClockwise />} loading={busy === delivery.outboxId} onClick={() => onRetry(delivery)}>
          Retry
        </Button>
      ) : null}
    </Flex>
  );
}

function AckCell({ recipient, asked }: { recipient: AdminRecipient; asked: boolean }) {
  if (recipient.acknowledgedAt) {
    return (
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Status variant="success" size="S">
          <Typography variant="pi" fontWeight="bold">
            Acknowledged
          </Typography>
        </Status>
        <Typography variant="pi" textColor="neutral600" title={formatExact(recipient.acknowledgedAt)}>
          {formatRelative(recipient.acknowledgedAt)}, {recipient.acknowledgedVia === 'email' ? 'via the email link' : 'in the portal'}
        </Typography>
      </Flex>
    );
  }
  return asked ? (
    <Flex alignItems="flex-start">
      <Status variant="warning" size="S">
        <Typography variant="pi" fontWeight="bold">
          Not yet
        </Typography>
      </Status>
    </Flex>
  ) : (
    <Typography variant="pi" textColor="neutral500">
      Not asked (FYI)
    </Typography>
  );
}

const REP_CHANNELS: Channel[] = ['email', 'inbox'];
/** "Affected: <title> (<portal URL>)", the line a claim's notice carries per collateral that makes it. */
const AFFECTED = /^Affected: (.+) \((https?:\/\/\S+)\)$/;

function Content({ notice, reload }: { notice: AdminNoticeDetail; reload: () => void }) {
  const { retry, busy } = useRetry(reload);
  const asked = notice.urgency === 'action_required';
  const waiting = notice.recipients.filter((r) => !r.acknowledgedAt);
  // Reps who have not acknowledged come first: they are who marketing follows up with.
  const recipients = asked ? [...waiting, ...notice.recipients.filter((r) => r.acknowledgedAt)] : notice.recipients;
  const onRetry = (d: AdminDelivery) => d.outboxId != null && retry(d.outboxId, `${CHANNEL_LABELS[d.channel]} to ${d.target}`);
  const cmPath = `/content-manager/collection-types/${SUBJECT_KINDS[notice.subject.kind]}/${notice.subject.documentId}`;

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Grid.Root gap={4}>
        <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} height="100%">
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="delta" tag="h2">
                What sales was told
              </Typography>
              {[
                ['What changed', notice.whatChanged],
                ['Why', notice.why],
                ['What to do now', notice.whatToDo],
              ].map(([label, text]) =>
                text ? (
                  <Flex key={label} direction="column" alignItems="flex-start" gap={1}>
                    <Typography variant="sigma" textColor="neutral600">
                      {label}
                    </Typography>
                    <Typography variant="omega" textColor="neutral800">
                      {text}
                    </Typography>
                  </Flex>
                ) : null
              )}
              {notice.details.length ? (
                <Box tag="ul" style={{ margin: 0, paddingLeft: '1.8rem', listStyle: 'disc' }}>
                  {notice.details.map((line, i) => {
                    const affected = AFFECTED.exec(line);
                    return (
                      <Box tag="li" key={i} paddingBottom={1}>
                        {affected ? (
                          <Typography variant="omega" textColor="neutral700">
                            Affected:{' '}
                            <Link href={affected[2]} isExternal>
                              {affected[1]}
                            </Link>
                          </Typography>
                        ) : (
                          <Typography variant="omega" textColor="neutral700">
                            {line}
                          </Typography>
                        )}
                      </Box>
                    );
                  })}
                </Box>
              ) : null}
              <Flex gap={4} wrap="wrap">
                <Link href={notice.link} isExternal>
                  Open in the portal
                </Link>
                <Link tag={RouterLink} to={cmPath}>
                  Open the {notice.subject.kind} in the content manager
                </Link>
              </Flex>
            </Flex>
          </Box>
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} height="100%">
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="delta" tag="h2">
                Acknowledgements
              </Typography>
              <Acknowledgements notice={notice} />
              {asked ? (
                <Typography variant="omega" textColor="neutral700">
                  {waiting.length === 0
                    ? 'Every rep acknowledged this notice.'
                    : `Not yet: ${waiting
                        .slice(0, 8)
                        .map((r) => r.name)
                        .join(', ')}${waiting.length > 8 ? ` and ${waiting.length - 8} more` : ''}. Candor reminds them once if they have not acknowledged it in time.`}
                </Typography>
              ) : (
                <Typography variant="omega" textColor="neutral700">
                  Informational: reps are not asked to acknowledge it.
                </Typography>
              )}
              <Typography variant="pi" textColor="neutral600">
                Sent {formatExact(notice.createdAt)} to {plural(notice.audience, 'rep')}, for a change by {notice.actor}.
              </Typography>
            </Flex>
          </Box>
        </Grid.Item>
      </Grid.Root>

      {isCollateralRetraction(notice) ? <ShareReachBox documentId={notice.subject.documentId} /> : null}

      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2">
          Reps ({notice.recipients.length})
        </Typography>
        {notice.recipients.length === 0 ? (
          <Typography textColor="neutral600">No rep's subscription matched this change.</Typography>
        ) : (
          <Table colCount={4} rowCount={recipients.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">Rep</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">Acknowledged</Typography>
                </Th>
                {REP_CHANNELS.map((channel) => (
                  <Th key={channel}>
                    <Typography variant="sigma">{CHANNEL_LABELS[channel]}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {recipients.map((recipient) => (
                <Tr key={recipient.userId}>
                  <Td style={{ verticalAlign: 'top', paddingTop: 12, paddingBottom: 12 }}>
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      <Typography variant="omega" fontWeight="semiBold" textColor="neutral800">
                        {recipient.name}
                      </Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {recipient.email}
                      </Typography>
                    </Flex>
                  </Td>
                  <Td style={{ verticalAlign: 'top', paddingTop: 12 }}>
                    <AckCell recipient={recipient} asked={asked} />
                  </Td>
                  {REP_CHANNELS.map((channel) => (
                    <Td key={channel} style={{ verticalAlign: 'top', whiteSpace: 'normal', paddingTop: 12, paddingBottom: 12 }}>
                      <DeliveryCell delivery={recipient.deliveries.find((d) => d.channel === channel)} onRetry={onRetry} busy={busy} />
                    </Td>
                  ))}
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Flex>

      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2">
          Team channels ({notice.teamChannels.length})
        </Typography>
        {notice.teamChannels.length === 0 ? (
          <Typography variant="omega" textColor="neutral600">
            No Slack or Teams channel is configured (SLACK_WEBHOOK_URL, TEAMS_WEBHOOK_URL).
          </Typography>
        ) : (
          <Table colCount={2} rowCount={notice.teamChannels.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">Channel</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">Delivery</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {notice.teamChannels.map((delivery) => (
                <Tr key={`${delivery.channel}:${delivery.target}`}>
                  <Td style={{ verticalAlign: 'top', paddingTop: 12 }}>
                    <Flex gap={2}>
                      <Badge size="S">{CHANNEL_LABELS[delivery.channel]}</Badge>
                      <Typography variant="omega" textColor="neutral800">
                        {delivery.target}
                      </Typography>
                    </Flex>
                  </Td>
                  <Td style={{ whiteSpace: 'normal', paddingTop: 12, paddingBottom: 12 }}>
                    <DeliveryCell delivery={delivery} onRetry={onRetry} busy={busy} />
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Flex>
    </Flex>
  );
}

/** One notice: what it said, and per rep and channel whether it arrived and was acknowledged. */
export function NoticeDetailPage() {
  const api = useNoticesAdminApi();
  const { id } = useParams<{ id: string }>();
  const noticeId = Number(id);
  const [state, reload] = useLoad(() => api.notice(noticeId), [api, noticeId]);

  if (state.status === 'loading') return <Page.Loading />;
  const title = state.status === 'ready' ? state.data.headline : 'Notice';
  return (
    <Page.Main>
      <Page.Title>{`${title} · Change notices`}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback=".." />}
        title={title}
        subtitle={
          state.status === 'ready' ? (
            <Flex gap={2} wrap="wrap">
              <UrgencyBadge urgency={state.data.urgency} />
              <Typography variant="epsilon" textColor="neutral600">
                {state.data.subject.kind === 'claim' ? 'Claim' : 'Collateral'}: {state.data.subject.title}
                {state.data.subject.version != null ? `, version ${state.data.subject.version}` : ''} · {formatExact(state.data.createdAt)}
              </Typography>
            </Flex>
          ) : undefined
        }
        primaryAction={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={reload}>
            Refresh
          </Button>
        }
      />
      <Layouts.Content>
        {state.status === 'error' ? (
          <Notice variant="danger" title={state.httpStatus === 404 ? 'This notice does not exist' : 'The notice could not be loaded'} role="alert">
            {state.message}
          </Notice>
        ) : (
          <Content notice={state.data} reload={reload} />
        )}
      </Layouts.Content>
    </Page.Main>
  );
}
