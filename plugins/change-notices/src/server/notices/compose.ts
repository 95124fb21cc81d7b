/**
 * What a change means for sales, decided from plain data: `composeNotice` turns a recorded version
 * into the notice reps read (headline, what changed, why, what to do now), and
 * `composeFeedbackResolved` tells a rep what became of their suggestion. No I/O: the notices service
 * loads what these need and stores what they return.
 */
import { STANDING_LABELS, SUBJECT_KINDS, type FeedbackState, type NoticeDraft, type SubjectUid, type Urgency, type VersionView } from '../../shared/contracts';
import { summarizeChanges, TRUTH_FIELDS } from '../versions';

/** Version fields a standing notice already shows as Why and What to do now. */
const STANDING_TEXT_FIELDS = new Set(['standingReason', 'nowTrue']);

export interface ComposeInput {
  uid: SubjectUid;
  documentId: string;
  urgency: Urgency;
  /** The recorded version, with its snapshot. */
  version: VersionView & { snapshot: Record<string, unknown> };
  /** Its first version in Candor though not number 1: the versions before it were imported (`import`). */
  firstAfterImport?: boolean;
  /** For a claim: the published collateral that makes it (flagged by this change). */
  affected: { title: string; slug: string }[];
  /** For a claim: published items that mention it without being linked (mentions/), still to be checked. */
  unlinkedMentions?: number;
  portalUrl: string;
}

const str = (v: unknown): string => (v == null ? '' : String(v));

/** The notice for a recorded version, or null when nobody needs news of it (born retracted). */
export function composeNotice(input: ComposeInput): NoticeDraft | null {
  const { version, portalUrl: portal } = input;
  const snap = version.snapshot;
  const standing = version.standing;
  const first = version.number === 1 || Boolean(input.firstAfterImport);
  const standingChanged = !first && version.changes.some((c) => c.field === 'standing');
  // Same standing, new reason or "true now": marketing corrected the truth.
  const truthChanged = !first && version.changes.some((c) => TRUTH_FIELDS.has(c.field));
  const corrected = truthChanged && !standingChanged && standing !== 'confirmed';
  if (first && standing === 'retracted') return null;
  const details: string[] = [];
  let headline: string;
  let whatToDo: string;
  let link: string;

  if (input.uid === SUBJECT_KINDS.collateral) {
    const title = str(snap.title);
    link = `${portal}/collateral/${str(snap.slug)}`;
    if ((standingChanged || corrected) && standing === 'retracted') {
      headline = corrected ? `Retracted, reason updated: ${title}` : `Retracted: ${title}`;
      const replacedBy = snap.replacedBy as { label?: string } | null | undefined;
      const replacement = replacedBy?.label;
      whatToDo = `Stop using “${title}” now${replacement ? `; use “${replacement}” instead` : ''}. Do not send it to customers again.`;
    } else if ((standingChanged || corrected) && standing === 'scaled_back') {
      headline = corrected ? `Corrected, still scaled back: ${title}` : `Scaled back: ${title}`;
      whatToDo = `Stop promising what it used to say. What is true now: ${str(snap.nowTrue)}`;
    } else if (standingChanged && standing === 'confirmed') {
      headline = `Reconfirmed: ${title}`;
      whatToDo = 'It is safe to use again as it stands.';
    } else {
      headline = `${first ? 'New' : 'Updated'} ${str(snap.kind || 'collateral').replace(/_/g, '-')}: ${title}`;
      whatToDo = first ? 'Have a look and use it where it fits.' : 'Use the current version from now on; older copies are out of date.';
    }
  } else {
    const statement = str(snap.statement);
    for (const c of input.affected) details.push(`Affected: ${c.title} (${portal}/collateral/${c.slug})`);
    const unlinked = input.unlinkedMentions ?? 0;
    if (unlinked > 0 && standing !== 'confirmed') {
      details.push(`${unlinked} more ${unlinked === 1 ? 'item mentions' : 'items mention'} this claim without being linked to it; marketing is checking ${unlinked === 1 ? 'it' : 'them'}, and you will get a notice for each one linked.`);
    }
    const firstAffected = input.affected[0];
    link = firstAffected?.slug ? `${portal}/collateral/${firstAffected.slug}` : `${portal}/notices`;
    const label = STANDING_LABELS[standing].toLowerCase();
    headline = standingChanged
      ? `Claim ${label === 'confirmed' ? 'reconfirmed' : label}: ${statement}`
      : corrected
        ? `Claim corrected, still ${label}: ${statement}`
        : `Claim updated: ${statement}`;
    whatToDo =
      standing === 'scaled_back'
        ? `Stop promising “${statement}”. Say instead: ${str(snap.nowTrue)}`
        : standing === 'retracted'
          ? `Stop promising “${statement}” at all.`
          : `You may make this claim again: “${statement}”.`;
    const n = input.affected.length;
    if (n) whatToDo += n === 1 ? ' Check the affected item below before you use it.' : ` Check the ${n} affected items below before you use them.`;
  }
  return {
    key: `version:${input.uid}:${input.documentId}:v${version.number}`,
    urgency: input.urgency,
    uid: input.uid,
    documentId: input.documentId,
    version: version.number,
    headline,
    // A standing change's reason and new truth are the notice's Why and What to do: repeating them,
    // cut to 60 characters, in What changed only made the notice longer and harder to read.
    whatChanged: standingChanged
      ? summarizeChanges(version.changes.filter((c) => !STANDING_TEXT_FIELDS.has(c.field)), { first: false })
      : corrected
        ? correctionSummary(version.changes.map((c) => c.field))
        : version.summary,
    why: truthChanged ? version.standingReason : version.note,
    whatToDo,
    link,
    details: version.note && truthChanged ? [`Note from marketing: ${version.note}`, ...details] : details,
    actor: version.author.name,
  };
}

function correctionSummary(fields: string[]): string {
  const now = fields.includes('nowTrue');
  const why = fields.includes('standingReason');
  return now && why ? 'Marketing corrected what is true now, and why.' : now ? 'Marketing corrected what is true now.' : 'Marketing updated the reason.';
}

/** A rep's suggestion as its resolution notice needs it. */
export interface ResolvedFeedback {
  feedbackDocumentId: string;
  state: Extract<FeedbackState, 'accepted' | 'declined' | 'shipped'>;
  suggestion: string;
  resolutionNote: string | null;
  shippedInVersion: number | null;
  collateral: { documentId: string; title: string; slug: string } | null;
}

/** "Your suggestion shipped / was declined / was accepted", for the rep who made it. */
export function composeFeedbackResolved(f: ResolvedFeedback, portal: string): NoticeDraft {
  const title = f.collateral?.title ?? 'your request';
  const shipped = f.state === 'shipped';
  return {
    key: `feedback:${f.feedbackDocumentId}:${f.state}`,
    urgency: 'fyi',
    uid: SUBJECT_KINDS.collateral,
    documentId: f.collateral?.documentId ?? f.feedbackDocumentId,
    version: shipped ? f.shippedInVersion : null,
    headline: shipped
      ? `Your suggestion shipped in version ${f.shippedInVersion ?? '?'}: ${title}`
      : f.state === 'declined'
        ? `Your suggestion was declined: ${title}`
        : `Your suggestion was accepted: ${title}`,
    whatChanged: `You suggested: “${f.suggestion.slice(0, 300)}”`,
    why: f.resolutionNote || null,
    whatToDo: shipped ? 'Use the current version; it has the fix.' : f.state === 'declined' ? 'No change will be made. Reply to marketing if you disagree.' : 'Marketing will make the change; you will hear when it ships.',
    link: f.collateral ? `${portal}/collateral/${f.collateral.slug}` : `${portal}/suggestions`,
    details: [],
    actor: 'Marketing',
  };
}
