import { z } from 'zod';
import { SUBJECT_KINDS, type SubjectUid } from '../../shared/contracts';
import { parseOrThrow } from './validation';

const subjectParams = z.object({
  kind: z.enum(['collateral', 'claim'], { error: 'kind must be "collateral" or "claim"' }),
  documentId: z.string().trim().min(1).max(64, { error: 'documentId is too long' }),
});
const versionParams = subjectParams.extend({
  number: z.coerce.number({ error: 'number must be a version number' }).int({ error: 'number must be a whole number' }).min(1, { error: 'number must be 1 or more' }),
});

export function subjectOf(params: unknown): { uid: SubjectUid; documentId: string } {
  const p = parseOrThrow(subjectParams, params, 'The URL');
  return { uid: SUBJECT_KINDS[p.kind], documentId: p.documentId };
}

export function versionOf(params: unknown): { uid: SubjectUid; documentId: string; number: number } {
  const p = parseOrThrow(versionParams, params, 'The URL');
  return { uid: SUBJECT_KINDS[p.kind], documentId: p.documentId, number: p.number };
}
