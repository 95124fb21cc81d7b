import * as React from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Button, EmptyStateLayout, Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import type { DeadLetter } from '../../../../src/shared/contracts';
import { isAbort, toProblem } from '../../api';
import { formatExact, formatRelative } from '../../format';
import { useNoticesAdminApi, type LoadState } from '../../notices-api';
import { CHANNEL_LABELS, TOPIC_LABELS, plural } from './labels';
import { ColumnHeads, LoadFailed } from './TableParts';

/**
 * Puts a dead letter back in the queue and tells the marketer how that went. `onDone` refreshes
 * whatever shows the letter (the list, the notice, the outbox counts).
 */
export function useRetry(onDone: () => void) {
  const api = useNoticesAdminApi();
  const { toggleNotification } = useNotification();
  const [busy, setBusy] = React.useState<number | null>(null);
  const retry = React.useCallback(
    async (outboxId: number, what: string) => {
      setBusy(outboxId);
      try {
        await api.retry(outboxId);
        toggleNotification({ type: 'success', title: 'Queued again', message: `${what} is being sent again now. If it fails again, it comes back here.` });
      } catch (error) {
        if (isAbort(error)) return;
        const problem = toProblem(error);
        toggleNotification({
          type: 'danger',
          title: 'Retry failed',
          message: problem.status === 404 ? `${what} is no longer a dead letter: someone retried it already, or it was sent meanwhile.` : problem.message,
        });
      } finally {
        setBusy(null);
        onDone();
      }
    },
    [api, toggleNotification, onDone]
  );
  return { retry, busy };
}

/** What a dead letter was for, in words: "Teams · sales-news" for a delivery, else its job kind. */
export function describeLetter(letter: DeadLetter): string {
  if (letter.delivery) return `${CHANNEL_LABELS[letter.delivery.channel] ?? letter.delivery.channel} to ${letter.delivery.target}`;
  return TOPIC_LABELS[letter.topic] ?? letter.topic;
}

/** Outbox jobs that gave up, newest first, each with a Retry button. */
export function DeadLettersTable({ state, reload }: { state: LoadState<DeadLetter[]>; reload: () => void }) {
  const { retry, busy } = useRetry(reload);

  if (state.status === 'loading') return <Typography textColor="neutral600">Loading dead letters…</Typography>;
  if (state.status === 'error') {
    return <LoadFailed title="The dead letters could not be loaded" message={state.message} onRetry={reload} />;
  }
  const letters = state.data;
  if (letters.length === 0) {
    return <EmptyStateLayout content="No dead letters: every notice, email and search update went through or is still being retried." hasRadius shadow="tableShadow" />;
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="omega" textColor="neutral700">
        {plural(letters.length, 'job')} gave up after retries, or met an error retrying cannot fix (a webhook answering 404). Fix the cause, then Retry: the job
        is queued again with a fresh set of attempts and the same idempotency key, so a receiver that already has it drops the copy.
      </Typography>
      <Table colCount={5} rowCount={letters.length + 1}>
        <ColumnHeads labels={['What', 'Last error', 'Attempts', 'Queued', 'Action']} />
        <Tbody>
          {letters.map((letter) => (
            <Tr key={letter.id}>
              <Td style={{ whiteSpace: 'normal', maxWidth: '28rem', paddingTop: 12, paddingBottom: 12 }}>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography variant="omega" fontWeight="semiBold" textColor="neutral800">
                    {describeLetter(letter)}
                  </Typography>
                  {letter.delivery ? (
                    <Link tag={RouterLink} to={`notices/${letter.delivery.noticeId}`}>
                      {letter.delivery.headline ?? `Notice ${letter.delivery.noticeId}`}
                    </Link>
                  ) : (
                    <Typography variant="pi" textColor="neutral600">
                      {letter.key}
                    </Typography>
                  )}
                </Flex>
              </Td>
              <Td style={{ whiteSpace: 'normal', maxWidth: '30rem' }}>
                <Typography variant="pi" textColor="danger700" style={{ overflowWrap: 'anywhere' }}>
                  {letter.error ?? 'No error recorded'}
                </Typography>
              </Td>
              <Td>
                <Typography variant="omega">{letter.attempts}</Typography>
              </Td>
              <Td>
                <Typography variant="omega" title={formatExact(letter.createdAt)}>
                  {formatRelative(letter.createdAt)}
                </Typography>
              </Td>
              <Td>
                <Button
                  variant="secondary"
                  size="S"
                  startIcon={<ArrowClockwise />}
                  loading={busy === letter.id}
                  disabled={busy != null && busy !== letter.id}
                  onClick={() => retry(letter.id, describeLetter(letter))}
                  aria-label={`Retry: ${describeLetter(letter)}${letter.delivery?.headline ? `, ${letter.delivery.headline}` : ''}`}
                >
                  Retry
                </Button>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Flex>
  );
}
