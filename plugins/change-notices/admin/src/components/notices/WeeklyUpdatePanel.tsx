import * as React from 'react';
import { Box, Flex, Grid, Link, Typography } from '@strapi/design-system';
import type { WeeklyUpdate } from '../../../../src/shared/contracts';
import { formatExact } from '../../format';
import { useLoad, useNoticesAdminApi } from '../../notices-api';
import { Stat } from './OutboxStatsBar';
import { plural } from './labels';
import { LoadFailed } from './TableParts';

const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

function Section({ title, empty, children, count }: { title: string; empty: string; count: number; children: React.ReactNode }) {
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} height="100%">
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h3">
          {title} ({count})
        </Typography>
        {count === 0 ? (
          <Typography variant="omega" textColor="neutral600">
            {empty}
          </Typography>
        ) : (
          <Box tag="ul" style={{ margin: 0, paddingLeft: '1.8rem', listStyle: 'disc' }}>
            {children}
          </Box>
        )}
      </Flex>
    </Box>
  );
}

const Item = ({ children }: { children: React.ReactNode }) => (
  <Box tag="li" paddingBottom={2}>
    <Typography variant="omega" textColor="neutral800" tag="div">
      {children}
    </Typography>
  </Box>
);

function rateText(ack: WeeklyUpdate['acknowledgement']): { value: string; hint: string } {
  if (ack.rate == null) return { value: '–', hint: 'No action-required notices this week' };
  return {
    value: `${Math.round(ack.rate * 100)} %`,
    hint: `${ack.acknowledged} of ${ack.expected} acknowledgements, ${plural(ack.notices, 'action-required notice')}`,
  };
}

/** The weekly update as it would go out now: what is new, changed, scaled back or retracted. */
export function WeeklyUpdatePanel({ generation }: { generation: number }) {
  const api = useNoticesAdminApi();
  const [state, reload] = useLoad(() => api.weeklyUpdate(), [api, generation]);
  if (state.status === 'loading') return <Typography textColor="neutral600">Loading the weekly update…</Typography>;
  if (state.status === 'error') {
    return <LoadFailed title="The weekly update could not be loaded" message={state.message} onRetry={reload} />;
  }
  const update = state.data;
  const rate = rateText(update.acknowledgement);
  const lowRate = update.acknowledgement.rate != null && update.acknowledgement.rate < 0.5;
  return (
    <Flex direction="column" alignItems="stretch" gap={5}>
      <Typography variant="omega" textColor="neutral700">
        <span title={`${formatExact(update.from)} – ${formatExact(update.to)}`}>
          {dateOnly.format(new Date(update.from))} to {dateOnly.format(new Date(update.to))}
        </span>
        . Sales and marketing get this summary by email every Monday morning; this is how it reads right now.
      </Typography>
      <Grid.Root gap={4}>
        {[
          { label: 'New', value: update.created.length, hint: 'Collateral published for the first time' },
          { label: 'Changed', value: update.updated.length, hint: 'New versions of existing collateral' },
          { label: 'Scaled back', value: update.scaledBack.length, hint: 'Collateral and claims' },
          { label: 'Retracted', value: update.retracted.length, hint: 'No longer to be used' },
        ].map((stat) => (
          <Grid.Item key={stat.label} col={2} s={4} xs={6} direction="column" alignItems="stretch">
            <Stat label={stat.label} value={stat.value} hint={stat.hint} />
          </Grid.Item>
        ))}
        <Grid.Item col={2} s={4} xs={6} direction="column" alignItems="stretch">
          <Stat label="Open feedback" value={update.openFeedback} hint="Suggestions from sales not yet declined or shipped" tone={update.openFeedback > 0 ? 'warning' : 'neutral'} />
        </Grid.Item>
        <Grid.Item col={2} s={4} xs={6} direction="column" alignItems="stretch">
          <Stat label="Acknowledged" value={rate.value} hint={rate.hint} tone={lowRate ? 'warning' : 'neutral'} />
        </Grid.Item>
      </Grid.Root>
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Section title="Scaled back" count={update.scaledBack.length} empty="Nothing was scaled back this week.">
            {update.scaledBack.map((item, i) => (
              <Item key={i}>
                <strong>{item.title}</strong>
                {item.nowTrue ? <>: now “{item.nowTrue}”</> : null}
                {item.reason ? (
                  <Typography variant="pi" textColor="neutral600" tag="div">
                    Why: {item.reason}
                  </Typography>
                ) : null}
              </Item>
            ))}
          </Section>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Section title="Retracted" count={update.retracted.length} empty="Nothing was retracted this week.">
            {update.retracted.map((item, i) => (
              <Item key={i}>
                <strong>{item.title}</strong>
                {item.reason ? (
                  <Typography variant="pi" textColor="neutral600" tag="div">
                    Why: {item.reason}
                  </Typography>
                ) : null}
              </Item>
            ))}
          </Section>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Section title="New" count={update.created.length} empty="No new collateral this week.">
            {update.created.map((item, i) => (
              <Item key={i}>
                <Link href={item.link} isExternal>
                  {item.title}
                </Link>
              </Item>
            ))}
          </Section>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Section title="Changed" count={update.updated.length} empty="No collateral changed this week.">
            {update.updated.map((item, i) => (
              <Item key={i}>
                <Link href={item.link} isExternal>
                  {item.title}
                </Link>
                <Typography variant="pi" textColor="neutral600" tag="div">
                  {item.summary}
                </Typography>
              </Item>
            ))}
          </Section>
        </Grid.Item>
      </Grid.Root>
    </Flex>
  );
}
