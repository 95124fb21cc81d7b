import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { claimPhrases, type ClaimMention, type SearchDocument } from '../../shared/contracts';
import type { Actor } from '../common/actor';
import { getService } from '../services';
import { SUBJECTS } from '../subjects';

const CLAIM = SUBJECTS.claim.uid;
const COLLATERAL = SUBJECTS.collateral.uid;
const MARK = { pre: '<mark>', post: '</mark>' };
/** Mentions listed per phrase; a claim found in more than this many items is a common phrase, not a claim. */
const PER_PHRASE = 100;

type Formatted = Partial<Record<'title' | 'summary' | 'body', string>> & { files?: { label?: string; fileName?: string; text?: string }[] };
type MentionHit = Pick<SearchDocument, 'id' | 'slug' | 'title'> & { _formatted?: Formatted };

const marked = (s: string | undefined): s is string => Boolean(s?.includes(MARK.pre));

/** Distinct words marked in a formatted text: how much of the phrase it holds. */
const markedWords = (s: string | undefined) => new Set([...(s ?? '').matchAll(/<mark>([\s\S]*?)<\/mark>/g)].map((m) => m[1]!.toLowerCase())).size;

/**
 * Where a hit matched best: the place with the most of the phrase's words marked (a title that only
 * shares "Q4" loses to the summary that says the whole claim), first of title, summary, body, then
 * file pages on a tie; null when only elsewhere (another claim's statement).
 */
function whereOf(f: Formatted): { where: string; passage: string } | null {
  const places: { where: string; passage: string | undefined }[] = [
    { where: 'Title', passage: f.title },
    { where: 'Summary', passage: f.summary },
    { where: 'Body', passage: f.body },
    ...(f.files ?? []).map((p) => ({ where: `${stripMarks(p.label) || 'A page'} of ${stripMarks(p.fileName) || 'a file'}`, passage: p.text })),
  ];
  let best: { where: string; passage: string } | null = null;
  let bestWords = 0;
  for (const place of places) {
    const words = marked(place.passage) ? markedWords(place.passage) : 0;
    if (words > bestWords) [best, bestWords] = [{ where: place.where, passage: place.passage! }, words];
  }
  return best;
}
const stripMarks = (s: string | undefined) => (s ?? '').split(MARK.pre).join('').split(MARK.post).join('');

/**
 * Unlinked mentions of a claim: published collateral whose fields or files say what the claim says
 * (its statement or key phrases; every word, typo-tolerant, through the search index) but that is not
 * linked to it, so scaling the claim back would not flag it. `link` links one, which records a
 * collateral version (cause `link`) and flags it as a linked item would have been.
 */
export const createMentionsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(claimDocumentId: string): Promise<{ mentions: ClaimMention[]; phrases: string[]; linked: number }> {
    const claim = (await strapi.db.query(CLAIM).findOne({ where: { documentId: claimDocumentId, publishedAt: { $notNull: true } }, select: ['documentId', 'statement', 'keyPhrases'] })) as {
      statement: string;
      keyPhrases: string | null;
    } | null;
    if (!claim) throw new errors.NotFoundError(`No published claim has the id ${claimDocumentId}.`);
    const search = getService(strapi, 'search');
    if (!search.enabled) throw new errors.ApplicationError('Search is not configured on this server (MEILI_URL is not set): mentions are found through it.');
    const phrases = claimPhrases(claim);
    const c = await search.client();
    const answers = await c.call(`find mentions of claim ${claimDocumentId}`, (m) =>
      m.multiSearch({
        queries: phrases.map((q) => ({
          indexUid: c.indexName,
          q,
          matchingStrategy: 'all' as const,
          limit: PER_PHRASE,
          attributesToRetrieve: ['id', 'slug', 'title'],
          attributesToHighlight: ['title', 'summary', 'body', 'files.label', 'files.fileName', 'files.text'],
          attributesToCrop: ['summary', 'body', 'files.text'],
          cropLength: 24,
          highlightPreTag: MARK.pre,
          highlightPostTag: MARK.post,
        })),
      })
    );
    const found = new Map<string, ClaimMention>();
    answers.results.forEach((answer, i) => {
      for (const hit of answer.hits as MentionHit[]) {
        if (found.has(hit.id)) continue;
        const at = whereOf(hit._formatted ?? {});
        if (at) found.set(hit.id, { documentId: hit.id, title: hit.title, slug: hit.slug, phrase: phrases[i]!, ...at });
      }
    });
    // Linked ones are the claim's own: the database says which, not the index (it may lag).
    const ids = [...found.keys()];
    const linkedRows = ids.length
      ? ((await strapi.db.query(COLLATERAL).findMany({ where: { documentId: { $in: ids }, publishedAt: { $notNull: true }, claims: { documentId: claimDocumentId } }, select: ['documentId'] })) as { documentId: string }[])
      : [];
    const linked = new Set(linkedRows.map((r) => r.documentId));
    return { mentions: [...found.values()].filter((m) => !linked.has(m.documentId)), phrases, linked: linked.size };
  },

  /**
   * Links the claim to the collateral on its draft and published rows (drafts to drafts, as Strapi
   * keeps relations; nobody's pending draft edits are published), flags it for review when the claim
   * is not confirmed, and records the collateral's version, whose notice tells its reps.
   */
  async link(claimDocumentId: string, collateralDocumentId: string, actor: Actor): Promise<{ version: number | null; flagged: boolean }> {
    const claimRows = (await strapi.db.query(CLAIM).findMany({ where: { documentId: claimDocumentId }, select: ['id', 'publishedAt', 'statement', 'standing', 'nowTrue', 'standingReason'] })) as {
      id: number;
      publishedAt: unknown;
      statement: string;
      standing: string;
      nowTrue: string | null;
      standingReason: string | null;
    }[];
    const publishedClaim = claimRows.find((r) => r.publishedAt);
    if (!publishedClaim) throw new errors.NotFoundError(`No published claim has the id ${claimDocumentId}.`);
    const rows = (await strapi.db.query(COLLATERAL).findMany({ where: { documentId: collateralDocumentId }, select: ['id', 'publishedAt', 'standing'] })) as { id: number; publishedAt: unknown; standing: string }[];
    const published = rows.find((r) => r.publishedAt);
    if (!published) throw new errors.NotFoundError(`No published collateral has the id ${collateralDocumentId}.`);
    if (published.standing === 'retracted') throw new errors.ValidationError('This collateral is retracted: there is nothing to link the claim to.');
    const flag = publishedClaim.standing !== 'confirmed';
    const note = flag
      ? `Claim “${publishedClaim.statement}” is ${publishedClaim.standing === 'retracted' ? 'retracted' : 'scaled back'} and this collateral mentions it` +
        (publishedClaim.nowTrue ? `. Now true: ${publishedClaim.nowTrue}` : '') +
        (publishedClaim.standingReason ? ` (reason: ${publishedClaim.standingReason})` : '')
      : null;
    return strapi.db.transaction(async ({ trx, onCommit }) => {
      for (const row of rows) {
        const target = claimRows.find((r) => Boolean(r.publishedAt) === Boolean(row.publishedAt));
        if (!target) continue;
        await strapi.db.query(COLLATERAL).update({ where: { id: row.id }, data: { claims: { connect: [target.id] }, ...(flag ? { needsReview: true, reviewNote: note } : {}) } });
      }
      const version = await getService(strapi, 'versions').record(trx, { uid: COLLATERAL, documentId: collateralDocumentId, cause: 'link', actor, note });
      if (version) await getService(strapi, 'changes').afterVersion(trx, { uid: COLLATERAL, documentId: collateralDocumentId, version, actor, onCommit });
      return { version: version?.created ? version.number : null, flagged: flag };
    });
  },
});

export type MentionsService = ReturnType<typeof createMentionsService>;
