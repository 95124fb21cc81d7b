import { Badge, type BadgeProps } from '@strapi/design-system';
import { STANDING_LABELS, type Standing } from '../../../src/shared/contracts';

const VARIANTS: Record<Standing, BadgeProps['variant']> = {
  confirmed: 'success',
  scaled_back: 'warning',
  retracted: 'danger',
};

/** The standing as text, coloured by severity; the text carries the meaning, the colour only repeats it. */
export const StandingBadge = ({ standing }: { standing: Standing }) => (
  <Badge variant={VARIANTS[standing]} size="S">
    {STANDING_LABELS[standing]}
  </Badge>
);
