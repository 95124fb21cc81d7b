/** How standings, kinds and funnel stages read to a rep. One place, so every page says the same. */
import { STANDING_LABELS, type Standing } from '@candor/change-notices/contracts';
import type { CollateralKind } from './cms';

export const KIND_LABELS: Record<CollateralKind, string> = {
  deck: 'Deck',
  one_pager: 'One-pager',
  battlecard: 'Battlecard',
  case_study: 'Case study',
  pricing_sheet: 'Pricing sheet',
  email_template: 'Email template',
  talk_track: 'Talk track',
  video: 'Video',
};

const STAGE_LABELS: Record<string, string> = {
  awareness: 'Awareness',
  consideration: 'Consideration',
  decision: 'Decision',
  expansion: 'Expansion',
};

/** A funnel stage's label; unknown stages are shown as sent rather than hidden. */
export function stageLabel(stage: string | null): string | null {
  if (!stage) return null;
  return STAGE_LABELS[stage] ?? stage.replace(/_/g, ' ');
}

export type BadgeTone = 'ok' | 'warn' | 'danger';

export interface StandingBadge {
  label: string;
  tone: BadgeTone;
  /** A glyph beside the label, so the standing does not rely on colour alone. */
  icon: string;
  /** What the standing means for a rep about to use the material. */
  advice: string;
}

const BADGES: Record<Standing, Omit<StandingBadge, 'label'>> = {
  confirmed: { tone: 'ok', icon: '✓', advice: 'Safe to use as it is.' },
  scaled_back: { tone: 'warn', icon: '!', advice: 'Parts of this no longer hold. Say only what is true now.' },
  retracted: { tone: 'danger', icon: '✕', advice: 'Do not use or send this any more.' },
};

/** The badge a standing shows, with the label from the shared contracts. */
export function standingBadge(standing: Standing): StandingBadge {
  return { label: STANDING_LABELS[standing], ...BADGES[standing] };
}
