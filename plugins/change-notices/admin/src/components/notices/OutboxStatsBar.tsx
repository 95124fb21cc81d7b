import * as React from 'react';
import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import type { OutboxStats } from '../../../../src/shared/contracts';
import { formatExact, formatRelative } from '../../format';

/** A waiting job older than this means the dispatcher is behind or not running. */
const BEHIND_MS = 5 * 60_000;

interface StatProps {
  label: string;
  value: React.ReactNode;
  hint: React.ReactNode;
  tone?: 'danger' | 'warning' | 'neutral';
}

export const Stat = ({ label, value, hint, tone = 'neutral' }: StatProps) => (
  <Box
    background={tone === 'danger' ? 'danger100' : tone === 'warning' ? 'warning100' : 'neutral0'}
    borderColor={tone === 'danger' ? 'danger200' : tone === 'warning' ? 'warning200' : 'neutral150'}
    borderStyle="solid"
    borderWidth="1px"
    hasRadius
    padding={4}
    height="100%"
  >
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        {label}
      </Typography>
      <Typography variant="alpha" tag="p" textColor={tone === 'danger' ? 'danger700' : 'neutral800'}>
        {value}
      </Typography>
      <Typography variant="pi" textColor="neutral600">
        {hint}
      </Typography>
    </Flex>
  </Box>
);

/** The outbox at a glance: what waits, what is being sent, what gave up. */
export function OutboxStatsBar({ stats, onShowDeadLetters }: { stats: OutboxStats; onShowDeadLetters: () => void }) {
  const oldest = stats.oldestPendingAt;
  const behind = oldest != null && Date.now() - new Date(oldest).getTime() > BEHIND_MS;
  return (
    <Box tag="section" aria-label="Outbox">
      <Grid.Root gap={4}>
        <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
          <Stat
            label="Waiting to send"
            value={stats.pending.toLocaleString('en')}
            tone={behind ? 'warning' : 'neutral'}
            hint={
              oldest ? (
                <span title={formatExact(oldest)}>
                  Oldest queued {formatRelative(oldest)}
                  {behind ? ': is the dispatcher running?' : ''}
                </span>
              ) : (
                'Nothing is waiting'
              )
            }
          />
        </Grid.Item>
        <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
          <Stat label="Being sent now" value={stats.leased.toLocaleString('en')} hint="Leased by a dispatcher" />
        </Grid.Item>
        <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
          <Stat
            label="Dead letters"
            value={stats.dead.toLocaleString('en')}
            tone={stats.dead > 0 ? 'danger' : 'neutral'}
            hint={
              stats.dead > 0 ? (
                <Box tag="button" type="button" onClick={onShowDeadLetters} style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer', textDecoration: 'underline', color: 'inherit', font: 'inherit' }}>
                  Gave up after retries: review and retry
                </Box>
              ) : (
                'Nothing gave up'
              )
            }
          />
        </Grid.Item>
        <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
          <Stat label="Done" value={stats.done.toLocaleString('en')} hint="Delivered or completed jobs" />
        </Grid.Item>
      </Grid.Root>
    </Box>
  );
}
