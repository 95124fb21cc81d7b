/**
 * Imports from another library (`npm run import`, scripts/import/): the ledger of what was brought in,
 * so a re-run imports nothing twice and an interrupted run resumes where it stopped.
 */
export { createImportsService, type ImportedFile, type ImportedItem, type ImportOutcome, type ImportsService } from './ledger';
