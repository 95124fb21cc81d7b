import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import type { FileTextStatus } from '../../../src/shared/contracts';
import { isAbort, toProblem, useChangeNoticesApi } from '../api';

/** What one part of a file of this kind is called. */
const PART_WORDS: Record<string, [string, string]> = { pdf: ['page', 'pages'], pptx: ['slide', 'slides'], xlsx: ['sheet', 'sheets'], csv: ['table', 'tables'] };
const partsText = (kind: string | null, n: number) => {
  const [one, other] = PART_WORDS[kind ?? ''] ?? ['part', 'parts'];
  return `${n} ${n === 1 ? one : other}`;
};

/** One line per file: searchable, could not be read (and why), or waiting for the worker. */
function describe(file: FileTextStatus): { text: string; tone: 'neutral600' | 'danger600' | 'success600' } {
  if (file.state === 'read') {
    // A Word document or a text file is one part: no page count worth saying.
    const parts = PART_WORDS[file.kind ?? ''] ? `: ${partsText(file.kind, file.parts)}` : '';
    return { text: `Searchable${parts}${file.truncated ? ' (a limit left the rest out)' : ''}`, tone: 'success600' };
  }
  if (file.state === 'unreadable') return { text: file.message ?? 'text could not be read', tone: 'danger600' };
  if (file.state === 'pending') return { text: 'Waiting to be read', tone: 'neutral600' };
  return { text: 'Picture, film or sound: no text to read', tone: 'neutral600' };
}

const usedIn = (titles: string[]) => (titles.length ? `, used in ${titles.map((t) => `“${t}”`).join(', ')}` : ', not used by any item');

/**
 * "Text in files" in the History panel: what search can find inside each of the item's files, and
 * where else the same file or almost the same text is used (merge candidates). Reloads
 * with the document (`revision`) and, while a file waits for the worker, every few seconds.
 */
export function FileTexts({ documentId, revision }: { documentId: string; revision: string }) {
  const api = useChangeNoticesApi();
  const [files, setFiles] = React.useState<FileTextStatus[] | null>(null);
  const [problem, setProblem] = React.useState<string | null>(null);
  const [tick, setTick] = React.useState(0);

  React.useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    api.fileTexts(documentId).then(
      (loaded) => {
        if (!current) return;
        setFiles(loaded);
        setProblem(null);
        if (loaded.some((f) => f.state === 'pending')) timer = setTimeout(() => setTick((n) => n + 1), 3000);
      },
      (error) => {
        if (!current || isAbort(error)) return;
        setProblem(toProblem(error).message);
      }
    );
    return () => {
      current = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, documentId, revision, tick]);

  if (problem) {
    return (
      <Typography variant="pi" textColor="danger600">
        The files’ text status could not be loaded: {problem}
      </Typography>
    );
  }
  if (!files || files.length === 0) return null;
  return (
    <Flex direction="column" alignItems="stretch" gap={1} data-testid="file-texts">
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        Text in files
      </Typography>
      <Box tag="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {files.map((file) => {
          const { text, tone } = describe(file);
          return (
            <Box tag="li" key={file.fileId} paddingBottom={1}>
              <Typography variant="omega" fontWeight="semiBold" textColor="neutral800" style={{ display: 'block', overflowWrap: 'anywhere' }}>
                {file.name}
              </Typography>
              <Typography variant="pi" textColor={tone}>
                {text}
              </Typography>
              {file.copies.map((c) => (
                <Typography key={`copy-${c.fileId}`} variant="pi" textColor="neutral700" style={{ display: 'block' }}>
                  The same file: “{c.name}”{usedIn(c.usedBy)}
                </Typography>
              ))}
              {file.similar.map((c) => (
                <Typography key={`similar-${c.fileId}`} variant="pi" textColor="neutral700" style={{ display: 'block' }}>
                  {c.similarity >= 0.995 ? 'The same text' : `Almost the same text (${Math.round(c.similarity * 100)} %)`}: “{c.name}”{usedIn(c.usedBy)}
                </Typography>
              ))}
            </Box>
          );
        })}
      </Box>
    </Flex>
  );
}
