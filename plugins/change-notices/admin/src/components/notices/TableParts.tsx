import { Button, Flex, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Notice } from '../Notice';

/** What a tab shows when its data could not be loaded: the reason and a way to try again. */
export function LoadFailed({ title, message, onRetry }: { title: string; message: string; onRetry: () => void }) {
  return (
    <Flex direction="column" alignItems="flex-start" gap={2}>
      <Notice variant="danger" title={title} role="alert">
        {message}
      </Notice>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </Flex>
  );
}

/** A table's header row in the admin's column-label style. */
export function ColumnHeads({ labels }: { labels: readonly string[] }) {
  return (
    <Thead>
      <Tr>
        {labels.map((label) => (
          <Th key={label}>
            <Typography variant="sigma">{label}</Typography>
          </Th>
        ))}
      </Tr>
    </Thead>
  );
}
