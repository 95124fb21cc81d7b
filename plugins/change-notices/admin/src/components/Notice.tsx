import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { Information, WarningCircle } from '@strapi/icons';

type Variant = 'warning' | 'danger' | 'neutral';

const COLORS = {
  warning: { background: 'warning100', border: 'warning200', icon: 'warning600' },
  danger: { background: 'danger100', border: 'danger200', icon: 'danger600' },
  neutral: { background: 'neutral100', border: 'neutral200', icon: 'neutral600' },
} as const;

interface NoticeProps {
  variant: Variant;
  title?: string;
  children: React.ReactNode;
  /** 'alert' for errors that appear after an action; plain text otherwise. */
  role?: 'alert' | 'status';
}

/**
 * A compact, non-dismissible message box. The design system's Alert always renders a close button,
 * which would be a button that does nothing here, and its padding is made for full-width pages, not
 * for the edit view's side panel.
 */
export const Notice = ({ variant, title, children, role }: NoticeProps) => {
  const colors = COLORS[variant];
  const Icon = variant === 'neutral' ? Information : WarningCircle;
  return (
    <Box background={colors.background} borderColor={colors.border} borderStyle="solid" borderWidth="1px" hasRadius padding={3} role={role}>
      <Flex gap={2} alignItems="flex-start">
        <Box paddingTop="2px" shrink={0}>
          <Icon aria-hidden width="1.6rem" height="1.6rem" fill={colors.icon} />
        </Box>
        <Flex direction="column" alignItems="stretch" gap={1} style={{ minWidth: 0 }}>
          {title ? (
            <Typography variant="omega" fontWeight="bold" textColor="neutral800">
              {title}
            </Typography>
          ) : null}
          <Typography tag="div" variant="omega" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
            {children}
          </Typography>
        </Flex>
      </Flex>
    </Box>
  );
};
