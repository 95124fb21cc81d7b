import { z } from 'zod';
import { SUBJECT_KINDS, type SubjectUid } from '../../shared/contracts';
import { positiveIntParam } from './http';
import { parseOrThrow } from './validation';

const subjectParams = z.object({
  kind: z.enum(['collateral', 'claim'], { error: 'kind must be "collateral" or "claim"' }),
  documentId: z.string().trim().min(1).max(64, { error: 'documentId is too long' }),
});
// Strict like idParam: a coerced number let "1.00", " 1", "01" and "+1" read version 1 and "0x1b" version 27.
const versionParams = subjectParams.extend({
  number: positiveIntParam('number must be a version number: 1, 2, 3… written without signs, spaces, decimals or leading zeros'),
});

export function subjectOf(params: unknown): { uid: SubjectUid; documentId: string } {
  const p = parseOrThrow(subjectParams, params, 'The URL');
  return { uid: SUBJECT_KINDS[p.kind], documentId: p.documentId };
}

export function versionOf(params: unknown): { uid: SubjectUid; documentId: string; number: number } {
  const p = parseOrThrow(versionParams, params, 'The URL');
  return { uid: SUBJECT_KINDS[p.kind], documentId: p.documentId, number: p.number };
}
