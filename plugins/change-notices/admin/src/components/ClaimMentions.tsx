import * as React from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import type { ClaimMention } from '../../../src/shared/contracts';
import { isAbort, toProblem, useChangeNoticesApi } from '../api';
import { Notice } from './Notice';

/** A passage with `<mark>` around the matched words, as text and <mark> elements (never as HTML). */
function Marked({ passage }: { passage: string }) {
  const parts = passage.split(/(<mark>[\s\S]*?<\/mark>)/);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith('<mark>') && part.endsWith('</mark>') ? <mark key={i}>{part.slice(6, -7)}</mark> : <React.Fragment key={i}>{part}</React.Fragment>
      )}
    </>
  );
}

type State = { status: 'idle' } | { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; mentions: ClaimMention[]; phrases: string[]; linked: number };

/**
 * "Mentions the claim but is not linked" on a claim's edit view: the collateral whose fields or files
 * say what the claim says, with where and the passage, and a Link button (which flags the item when
 * the claim is scaled back or retracted, and tells its reps).
 */
export function ClaimMentions({ claimDocumentId, revision, canLink }: { claimDocumentId: string; revision: string; canLink: boolean }) {
  const api = useChangeNoticesApi();
  const [state, setState] = React.useState<State>({ status: 'idle' });
  const [attempt, setAttempt] = React.useState(0);
  const [linking, setLinking] = React.useState<string | null>(null);
  const [linkProblem, setLinkProblem] = React.useState<string | null>(null);

  React.useEffect(() => {
    let current = true;
    setState((s) => (s.status === 'ready' ? s : { status: 'loading' }));
    api.claimMentions(claimDocumentId).then(
      (res) => current && setState({ status: 'ready', mentions: res.data, phrases: res.meta.phrases, linked: res.meta.linked }),
      (error) => {
        if (!current || isAbort(error)) return;
        setState({ status: 'error', message: toProblem(error).message });
      }
    );
    return () => {
      current = false;
    };
  }, [api, claimDocumentId, revision, attempt]);

  const link = async (mention: ClaimMention) => {
    setLinking(mention.documentId);
    setLinkProblem(null);
    try {
      await api.linkMention(claimDocumentId, mention.documentId);
      setAttempt((n) => n + 1);
    } catch (error) {
      setLinkProblem(`“${mention.title}” could not be linked: ${toProblem(error).message}`);
    } finally {
      setLinking(null);
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="claim-mentions">
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        Mentions the claim but is not linked
      </Typography>
      {state.status === 'loading' ? <Loader small>Looking for collateral that mentions this claim</Loader> : null}
      {state.status === 'error' ? (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Notice variant="danger" title="Mentions could not be looked up" role="alert">
            {state.message}
          </Notice>
          <Button variant="secondary" size="S" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </Button>
        </Flex>
      ) : null}
      {linkProblem ? (
        <Notice variant="danger" title="Not linked" role="alert">
          {linkProblem}
        </Notice>
      ) : null}
      {state.status === 'ready' ? (
        <>
          <Typography variant="pi" textColor="neutral600">
            Looked for {state.phrases.map((p) => `“${p}”`).join(', ')} in every published item and its files. {state.linked} linked{' '}
            {state.linked === 1 ? 'item' : 'items'}; {state.mentions.length === 0 ? 'no unlinked mentions.' : `${state.mentions.length} not linked:`}
          </Typography>
          <Box tag="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {state.mentions.map((m) => (
              <Box tag="li" key={m.documentId} paddingBottom={3}>
                <Typography variant="omega" fontWeight="semiBold" textColor="neutral800" style={{ display: 'block' }}>
                  {m.title}
                </Typography>
                <Typography variant="pi" textColor="neutral600" style={{ display: 'block' }}>
                  {m.where}: <Marked passage={m.passage} />
                </Typography>
                {canLink ? (
                  <Box paddingTop={1}>
                    <Button variant="secondary" size="S" loading={linking === m.documentId} disabled={linking !== null} onClick={() => void link(m)}>
                      Link
                    </Button>
                  </Box>
                ) : null}
              </Box>
            ))}
          </Box>
        </>
      ) : null}
    </Flex>
  );
}
