import * as React from 'react';
import { Combobox, ComboboxOption, Field, Flex, Typography } from '@strapi/design-system';
import { useDebounce } from '@strapi/strapi/admin';
import { isAbort, toProblem, useChangeNoticesApi, type CollateralOption } from '../api';
import { displayValue } from '../format';

interface ReplacementPickerProps {
  /** The collateral being retracted: it cannot replace itself. */
  excludeId: string;
  value: CollateralOption | null;
  onChange: (value: CollateralOption | null) => void;
  error?: string;
  disabled?: boolean;
}

interface Results {
  items: CollateralOption[];
  page: number;
  pageCount: number;
}

const NO_RESULTS: Results = { items: [], page: 0, pageCount: 1 };

/**
 * Searches published, non-retracted collateral on the server as the marketer types (the catalogue is
 * too big to load whole), 20 at a time, more when the list is scrolled to its end.
 */
export function ReplacementPicker({ excludeId, value, onChange, error, disabled }: ReplacementPickerProps) {
  const api = useChangeNoticesApi();
  const [opened, setOpened] = React.useState(false);
  const [search, setSearch] = React.useState('');
  const [textValue, setTextValue] = React.useState(value?.title ?? '');
  const [results, setResults] = React.useState<Results>(NO_RESULTS);
  const [loading, setLoading] = React.useState(false);
  const [loadError, setLoadError] = React.useState<string | null>(null);
  const term = useDebounce(search, 250);
  // Only the newest search may write results: answers to older keystrokes can arrive later.
  const latestRequest = React.useRef(0);

  const load = React.useCallback(
    async (page: number) => {
      const request = ++latestRequest.current;
      setLoading(true);
      setLoadError(null);
      try {
        const found = await api.searchCollateral({ search: term, excludeId, page });
        if (request !== latestRequest.current) return;
        setResults((previous) => ({
          items: page === 1 ? found.items : [...previous.items, ...found.items],
          page: found.page,
          pageCount: found.pageCount,
        }));
      } catch (problem) {
        if (request === latestRequest.current && !isAbort(problem)) setLoadError(toProblem(problem).message);
      } finally {
        if (request === latestRequest.current) setLoading(false);
      }
    },
    [api, term, excludeId]
  );

  React.useEffect(() => {
    if (opened) load(1);
  }, [opened, load]);

  const hint = loadError
    ? `The collateral list could not be loaded: ${loadError}`
    : 'Optional. Reps are pointed to this collateral instead. Only published collateral that is not retracted can be chosen.';

  return (
    <Field.Root name="replacement" error={error} hint={hint}>
      <Field.Label>Replacement</Field.Label>
      <Combobox
        name="replacement"
        placeholder="Search collateral by title"
        // Options are also filtered here by title as typed, so the list and its "no match" line agree
        // while the server's answer to the newest keystroke is on its way.
        autocomplete={{ type: 'list', filter: 'contains' }}
        disabled={disabled}
        value={value?.documentId ?? ''}
        textValue={textValue}
        onTextValueChange={setTextValue}
        onInputChange={(event) => setSearch(event.currentTarget.value)}
        onOpenChange={(open) => setOpened(Boolean(open))}
        onChange={(documentId) => {
          const chosen = results.items.find((item) => item.documentId === documentId) ?? null;
          onChange(chosen);
          if (chosen) setTextValue(chosen.title);
        }}
        onClear={() => {
          onChange(null);
          setTextValue('');
          setSearch('');
        }}
        clearLabel="Clear the replacement"
        // No `loading` prop: while it is set the combobox unmounts its "no match" line, which then
        // misses the options arriving with the answer and claims nothing matched. The line itself
        // says that a search is running instead.
        hasMoreItems={results.page < results.pageCount}
        onLoadMore={() => {
          if (!loading && results.page < results.pageCount) load(results.page + 1);
        }}
        noOptionsMessage={(typed) =>
          loading
            ? 'Searching collateral…'
            : loadError
              ? 'The collateral list could not be loaded'
              : typed
                ? `No published collateral matches “${typed}”`
                : 'No other published collateral'
        }
      >
        {results.items.map((item) => (
          <ComboboxOption key={item.documentId} value={item.documentId} textValue={item.title}>
            <Flex justifyContent="space-between" gap={3}>
              <Typography ellipsis>{item.title}</Typography>
              {item.kind ? (
                <Typography variant="pi" textColor="neutral600" style={{ flexShrink: 0 }}>
                  {displayValue('kind', item.kind)}
                </Typography>
              ) : null}
            </Flex>
          </ComboboxOption>
        ))}
      </Combobox>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
}
