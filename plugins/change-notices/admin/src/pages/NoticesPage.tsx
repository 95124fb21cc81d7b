import * as React from 'react';
import { Box, Button, Flex, Tabs } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { Layouts, Page, useQueryParams } from '@strapi/strapi/admin';
import { ContentRequestsTable } from '../components/notices/ContentRequestsTable';
import { DeadLettersTable } from '../components/notices/DeadLettersTable';
import { DuplicatesPanel } from '../components/notices/DuplicatesPanel';
import { NoticesTable } from '../components/notices/NoticesTable';
import { OutboxStatsBar } from '../components/notices/OutboxStatsBar';
import { WeeklyUpdatePanel } from '../components/notices/WeeklyUpdatePanel';
import { Notice } from '../components/Notice';
import { useLoad, useNoticesAdminApi } from '../notices-api';

const TABS = ['notices', 'dead-letters', 'weekly', 'requests', 'copies'] as const;
type Tab = (typeof TABS)[number];

/**
 * The marketers' page: what sales was told and whether it arrived, dead letters to retry, the weekly
 * update as it would go out now, what reps searched for in vain, and files that say the same thing. The tab lives in the URL, so a
 * link to "the dead letters" or a notice's page and back keeps its place.
 */
export function NoticesPage() {
  const api = useNoticesAdminApi();
  const [{ query }, setQuery] = useQueryParams<{ tab?: string }>();
  const tab: Tab = TABS.includes(query.tab as Tab) ? (query.tab as Tab) : 'notices';
  const [generation, setGeneration] = React.useState(0);
  const [stats, reloadStats] = useLoad(() => api.outboxStats(), [api, generation]);
  const [deadLetters, reloadDeadLetters] = useLoad(() => api.deadLetters(), [api, generation]);
  const refreshAll = () => setGeneration((n) => n + 1);
  const afterRetry = React.useCallback(() => {
    reloadDeadLetters();
    reloadStats();
  }, [reloadDeadLetters, reloadStats]);
  const showTab = (next: string) => setQuery({ tab: next === 'notices' ? undefined : next, page: undefined, pageSize: undefined, urgency: undefined } as never);
  const deadCount = deadLetters.status === 'ready' ? deadLetters.data.length : null;

  return (
    <Page.Main>
      <Page.Title>Change notices</Page.Title>
      <Layouts.Header
        title="Change notices"
        subtitle="What sales was told about each change, whether it arrived on every channel, and who has acknowledged it."
        primaryAction={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={refreshAll}>
            Refresh
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {stats.status === 'ready' ? <OutboxStatsBar stats={stats.data} onShowDeadLetters={() => showTab('dead-letters')} /> : null}
          {stats.status === 'error' ? (
            <Notice variant="danger" title="The outbox counts could not be loaded" role="alert">
              {stats.message}
            </Notice>
          ) : null}
          <Tabs.Root variant="simple" value={tab} onValueChange={showTab}>
            <Tabs.List aria-label="Change notices">
              <Tabs.Trigger value="notices">Notices</Tabs.Trigger>
              <Tabs.Trigger value="dead-letters">{deadCount ? `Dead letters (${deadCount})` : 'Dead letters'}</Tabs.Trigger>
              <Tabs.Trigger value="weekly">Weekly update</Tabs.Trigger>
              <Tabs.Trigger value="requests">Content requests</Tabs.Trigger>
              <Tabs.Trigger value="copies">Copies</Tabs.Trigger>
            </Tabs.List>
            <Box paddingTop={5}>
              <Tabs.Content value="notices">
                <NoticesTable generation={generation} />
              </Tabs.Content>
              <Tabs.Content value="dead-letters">
                <DeadLettersTable state={deadLetters} reload={afterRetry} />
              </Tabs.Content>
              <Tabs.Content value="weekly">
                <WeeklyUpdatePanel generation={generation} />
              </Tabs.Content>
              <Tabs.Content value="requests">
                <ContentRequestsTable generation={generation} />
              </Tabs.Content>
              <Tabs.Content value="copies">
                <DuplicatesPanel generation={generation} />
              </Tabs.Content>
            </Box>
          </Tabs.Root>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
}
