import * as React from 'react';
import { Box, Flex, Typography, VisuallyHidden } from '@strapi/design-system';
import { ArrowRight } from '@strapi/icons';
import type { FieldChange, WordChange } from '../../../src/shared/contracts';
import { displayValue } from '../format';

/*
 * Changes are told three ways at once, so none depends on colour: added text is underlined inside
 * <ins> and removed text struck through inside <del> (the styles), green and red (the colours), and a
 * visually hidden "added:" / "removed:" for screen readers, which announce neither <ins> nor <del>.
 */

// Long texts keep their line breaks (bodies are Markdown) and break long words instead of overflowing
// the narrow side panel.
const PROSE: React.CSSProperties = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };

interface MarkProps {
  children: React.ReactNode;
  /** False where the surrounding sentence already says it (the legend). */
  announce?: boolean;
}

const Added = ({ children, announce = true }: MarkProps) => (
  <Typography tag="ins" textColor="success700" background="success100" textDecoration="underline" style={PROSE}>
    {announce ? <VisuallyHidden>added: </VisuallyHidden> : null}
    {children}
  </Typography>
);

const Removed = ({ children, announce = true, gapAfter = false }: MarkProps & { gapAfter?: boolean }) => (
  <Typography
    tag="del"
    textColor="danger700"
    background="danger100"
    textDecoration="line-through"
    style={gapAfter ? { ...PROSE, marginInlineEnd: '0.25em' } : PROSE}
  >
    {announce ? <VisuallyHidden>removed: </VisuallyHidden> : null}
    {children}
  </Typography>
);

const Empty = () => (
  <Typography variant="pi" textColor="neutral500" style={{ fontStyle: 'italic' }}>
    empty
  </Typography>
);

const Words = ({ words }: { words: WordChange[] }) => (
  <Typography tag="p" variant="omega" textColor="neutral800" style={PROSE}>
    {words.map((word, i) => {
      if (word.op === 'same') return <React.Fragment key={i}>{word.text}</React.Fragment>;
      if (word.op === 'added') return <Added key={i}>{word.text}</Added>;
      // A replaced word is removed and added with nothing in between: a little room keeps "Q4" and
      // "cable" from reading as one word "Q4cable".
      return (
        <Removed key={i} gapAfter={words[i + 1]?.op === 'added'}>
          {word.text}
        </Removed>
      );
    })}
  </Typography>
);

/** Before and after stacked: short texts (titles, reasons) read better whole than as a word diff. */
const BeforeAfter = ({ field, before, after }: { field: string; before: unknown; after: unknown }) => {
  const was = displayValue(field, before);
  const now = displayValue(field, after);
  return (
    <Flex tag="dl" direction="column" alignItems="stretch" gap={1}>
      <Flex gap={2} alignItems="baseline">
        <Typography tag="dt" variant="pi" fontWeight="bold" textColor="neutral600" style={{ minWidth: '3.5rem' }}>
          Before
        </Typography>
        <Typography tag="dd" variant="omega" style={{ margin: 0 }}>
          {was == null ? <Empty /> : <Removed>{was}</Removed>}
        </Typography>
      </Flex>
      <Flex gap={2} alignItems="baseline">
        <Typography tag="dt" variant="pi" fontWeight="bold" textColor="neutral600" style={{ minWidth: '3.5rem' }}>
          After
        </Typography>
        <Typography tag="dd" variant="omega" style={{ margin: 0 }}>
          {now == null ? <Empty /> : <Added>{now}</Added>}
        </Typography>
      </Flex>
    </Flex>
  );
};

/** One value replacing another on a line: "Confirmed → Scaled back". */
const ValueChange = ({ field, before, after }: { field: string; before: unknown; after: unknown }) => {
  const was = displayValue(field, before);
  const now = displayValue(field, after);
  return (
    <Flex gap={2} wrap="wrap" alignItems="center">
      {was == null ? <Empty /> : <Removed>{was}</Removed>}
      <ArrowRight aria-hidden width="1.2rem" height="1.2rem" fill="neutral500" />
      <VisuallyHidden>changed to</VisuallyHidden>
      {now == null ? <Empty /> : <Added>{now}</Added>}
    </Flex>
  );
};

const Chip = ({ op, label }: { op: 'added' | 'removed'; label: string }) => (
  <Box
    tag="li"
    background={op === 'added' ? 'success100' : 'danger100'}
    borderColor={op === 'added' ? 'success200' : 'danger200'}
    borderStyle="solid"
    borderWidth="1px"
    hasRadius
    paddingLeft={2}
    paddingRight={2}
    paddingTop={1}
    paddingBottom={1}
    maxWidth="100%"
  >
    <Typography variant="pi" textColor={op === 'added' ? 'success700' : 'danger700'} style={{ overflowWrap: 'anywhere' }}>
      <span aria-hidden>{op === 'added' ? '+ ' : '− '}</span>
      <VisuallyHidden>{op === 'added' ? 'added: ' : 'removed: '}</VisuallyHidden>
      <Typography textDecoration={op === 'removed' ? 'line-through' : 'underline'}>{label}</Typography>
    </Typography>
  </Box>
);

const ListChange = ({ added, removed }: { added: string[]; removed: string[] }) => (
  <Flex tag="ul" gap={1} wrap="wrap" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
    {added.map((label) => (
      <Chip key={`+${label}`} op="added" label={label} />
    ))}
    {removed.map((label) => (
      <Chip key={`-${label}`} op="removed" label={label} />
    ))}
  </Flex>
);

function ChangeBody({ change }: { change: FieldChange }) {
  switch (change.type) {
    case 'longtext':
      if (change.words?.length) return <Words words={change.words} />;
      return <BeforeAfter field={change.field} before={change.before} after={change.after} />;
    case 'list':
      return <ListChange added={change.added ?? []} removed={change.removed ?? []} />;
    case 'text':
      return <BeforeAfter field={change.field} before={change.before} after={change.after} />;
    default:
      return <ValueChange field={change.field} before={change.before} after={change.after} />;
  }
}

/** Every field change of one version, in the order the server tracks fields. */
export const VersionChanges = ({ changes, id }: { changes: FieldChange[]; id: string }) => (
  <Flex id={id} direction="column" alignItems="stretch" gap={3} paddingTop={2}>
    <Typography variant="pi" textColor="neutral600">
      Added text is <Added announce={false}>underlined</Added>, removed text is <Removed announce={false}>struck through</Removed>.
    </Typography>
    {changes.map((change) => (
      <Flex key={change.field} direction="column" alignItems="stretch" gap={1}>
        <Typography tag="h4" variant="sigma" textColor="neutral600">
          {change.label}
        </Typography>
        <ChangeBody change={change} />
      </Flex>
    ))}
  </Flex>
);
