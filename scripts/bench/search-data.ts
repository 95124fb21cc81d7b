/**
 * Deterministic synthetic collateral for the search benchmark: item i is always the same text, so runs
 * compare. About 300 words of sales prose per item from a vocabulary of a few hundred terms, so a
 * common word matches many items and a rare pairing few, as in a real library.
 */
import crypto from 'node:crypto';

/** A small, fast, seedable PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ['deck', 'one_pager', 'battlecard', 'case_study', 'pricing_sheet', 'email_template', 'talk_track', 'video'] as const;
const KIND_LABEL: Record<(typeof KINDS)[number], string> = {
  deck: 'Deck', one_pager: 'One-pager', battlecard: 'Battlecard', case_study: 'Case study', pricing_sheet: 'Pricing sheet',
  email_template: 'Email template', talk_track: 'Talk track', video: 'Video',
};
const STAGES = ['awareness', 'consideration', 'decision', 'expansion'] as const;

export const VOCAB = {
  products: ['Aurora Pulse', 'Aurora Relay', 'Aurora Vault'],
  industries: [
    'logistics', 'banking', 'retail', 'healthcare', 'insurance', 'manufacturing', 'telecom', 'utilities', 'public sector', 'education',
    'hospitality', 'pharma', 'automotive', 'media', 'real estate', 'energy', 'agriculture', 'aviation', 'shipping', 'construction',
  ],
  features: [
    'scenario forecasting', 'ledger sync', 'revenue dashboards', 'cash forecasting', 'workflow builder', 'approval routing', 'CRM connector',
    'billing sync', 'audit trail', 'access reviews', 'document retention', 'e-signature', 'data residency', 'single sign-on', 'anomaly alerts',
    'pipeline analytics', 'quota planning', 'churn prediction', 'ticket routing', 'invoice matching', 'spend controls', 'vendor onboarding',
    'contract search', 'redaction', 'legal hold', 'usage metering', 'close automation', 'variance analysis', 'consolidation', 'board reporting',
  ],
  competitors: ['Clearmetric', 'Flowbridge', 'Lockstone', 'Numera', 'Pipewise', 'Ledgerly', 'Vaultic', 'Opsgrid', 'Fathomly', 'Quantive'],
  outcomes: [
    'cuts close time', 'reduces manual entry', 'shortens approval cycles', 'improves forecast accuracy', 'lowers audit cost', 'speeds onboarding',
    'reduces churn', 'raises win rates', 'frees analyst hours', 'removes spreadsheet risk', 'meets regulator deadlines', 'halves ticket backlog',
  ],
  roles: ['CFO', 'controller', 'IT director', 'operations manager', 'procurement lead', 'revenue operations', 'compliance officer', 'sales leader'],
  cities: ['Chicago', 'Berlin', 'Singapore', 'São Paulo', 'Toronto', 'Madrid', 'Sydney', 'Mumbai', 'Dublin', 'Austin', 'Lyon', 'Osaka', 'Denver', 'Oslo'],
  adjectives: ['fast', 'secure', 'auditable', 'flexible', 'predictable', 'scalable', 'compliant', 'transparent', 'reliable', 'simple', 'modern', 'proven'],
  objections: ['price', 'security review', 'migration effort', 'integration risk', 'change management', 'vendor lock-in', 'data quality', 'timeline'],
  campaigns: ['late-night cable spots', 'national TV campaign', 'partner webinars', 'regional roadshow', 'analyst briefing', 'customer summit'],
};

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

const SENTENCES: ((r: () => number) => string)[] = [
  (r) => `${pick(r, VOCAB.products)} helps ${pick(r, VOCAB.roles)} teams in ${pick(r, VOCAB.industries)} replace spreadsheets with ${pick(r, VOCAB.features)} that stays ${pick(r, VOCAB.adjectives)} as the business grows.`,
  (r) => `A ${pick(r, VOCAB.industries)} customer in ${pick(r, VOCAB.cities)} ${pick(r, VOCAB.outcomes)} by ${10 + Math.floor(r() * 50)} percent within two quarters of going live.`,
  (r) => `Compared with ${pick(r, VOCAB.competitors)}, our ${pick(r, VOCAB.features)} is ${pick(r, VOCAB.adjectives)} out of the box and needs no professional services to configure.`,
  (r) => `When the buyer raises ${pick(r, VOCAB.objections)}, lead with the ${pick(r, VOCAB.features)} story and offer a reference from ${pick(r, VOCAB.industries)}.`,
  (r) => `The ${pick(r, VOCAB.roles)} owns the budget; the ${pick(r, VOCAB.roles)} signs off on ${pick(r, VOCAB.objections)} before procurement starts.`,
  (r) => `Our ${pick(r, VOCAB.campaigns)} supports this motion in ${pick(r, VOCAB.cities)} and ${pick(r, VOCAB.cities)} through the end of the quarter.`,
  (r) => `Pricing starts with a ${pick(r, ['team', 'business', 'enterprise'])} plan; ${pick(r, VOCAB.features)} is included, and ${pick(r, VOCAB.features)} is an add-on.`,
  (r) => `Implementation usually takes ${2 + Math.floor(r() * 10)} weeks, with ${pick(r, VOCAB.features)} and ${pick(r, VOCAB.features)} switched on in the first sprint.`,
  (r) => `Customers tell us the ${pick(r, VOCAB.adjectives)} ${pick(r, VOCAB.features)} is why they chose ${pick(r, VOCAB.products)} over ${pick(r, VOCAB.competitors)}.`,
  (r) => `Use this material with ${pick(r, VOCAB.roles)} prospects who ${pick(r, ['are evaluating', 'are renewing with', 'just left', 'are frustrated with'])} ${pick(r, VOCAB.competitors)}.`,
  (r) => `Every plan includes ${pick(r, VOCAB.features)}, ${pick(r, VOCAB.features)} and a named success manager for the first ninety days.`,
  (r) => `Security teams in ${pick(r, VOCAB.industries)} ask about ${pick(r, VOCAB.features)} first; the whitepaper answers most of the questionnaire.`,
];

export interface SyntheticCollateral {
  documentId: string;
  ref: string;
  title: string;
  slug: string;
  kind: (typeof KINDS)[number];
  summary: string;
  body: string;
  funnelStage: (typeof STAGES)[number];
  /** Indexes into the caller's lists of products, regions, personas and claims. */
  products: number[];
  regions: number[];
  personas: number[];
  claim: number | null;
  publishedAt: Date;
}

/** A document reference code in the title ("ref k7f2q"), so one item can be found by a query. */
export const refOf = (i: number) => `r${(i * 2654435761 >>> 0).toString(36).padStart(7, '0').slice(-7)}`;

/** Item i, always the same. */
export function synthetic(i: number, counts: { products: number; regions: number; personas: number; claims: number }): SyntheticCollateral {
  const r = prng(i * 7919 + 17);
  const kind = pick(r, KINDS);
  const product = pick(r, VOCAB.products);
  const feature = pick(r, VOCAB.features);
  const industry = pick(r, VOCAB.industries);
  const ref = refOf(i);
  const title = `${KIND_LABEL[kind]}: ${product} ${feature} for ${industry} (ref ${ref})`;
  const body: string[] = [];
  let words = 0;
  while (words < 300) {
    const sentence = pick(r, SENTENCES)(r);
    words += sentence.split(' ').length;
    body.push(sentence);
  }
  const paragraphs = [];
  for (let p = 0; p < body.length; p += 4) paragraphs.push(body.slice(p, p + 4).join(' '));
  const some = (n: number, max: number) => [...new Set(Array.from({ length: 1 + Math.floor(r() * max) }, () => Math.floor(r() * n)))];
  return {
    documentId: crypto.createHash('sha1').update(`candor-bench-${i}`).digest('hex').slice(0, 24),
    ref,
    title,
    slug: `bench-${i}-${ref}`,
    kind,
    summary: `${product} ${feature} for ${industry}: how ${pick(r, VOCAB.roles)} teams ${pick(r, VOCAB.outcomes)}.`,
    body: `## ${feature[0]!.toUpperCase()}${feature.slice(1)}\n\n${paragraphs.join('\n\n')}`,
    funnelStage: pick(r, STAGES),
    products: some(counts.products, 2),
    regions: some(counts.regions, 2),
    personas: some(counts.personas, 2),
    claim: counts.claims && r() < 0.3 ? Math.floor(r() * counts.claims) : null,
    // Spread over two years so recency ranking has something to do.
    publishedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 730 * 86_400_000)),
  };
}

export interface BenchQuery {
  q: string;
  /** Meilisearch filter and the equivalent Strapi REST filters. */
  filter?: { meili: string; rest: Record<string, string> };
  label: 'word' | 'phrase' | 'typo' | 'synonym' | 'filtered';
}

/** The fixed query mix: words, phrases, typos, synonyms and faceted searches. */
export const QUERIES: BenchQuery[] = [
  ...['forecasting', 'audit', 'onboarding', 'redaction', 'churn', 'consolidation', 'Clearmetric', 'Singapore', 'insurance', 'whitepaper', 'procurement', 'residency'].map((q) => ({ q, label: 'word' as const })),
  ...['ledger sync', 'approval routing', 'close time', 'security review', 'legal hold', 'vendor onboarding', 'cash forecasting', 'Aurora Vault', 'partner webinars', 'board reporting'].map((q) => ({ q, label: 'phrase' as const })),
  ...['forcasting', 'complaince', 'onbaording', 'redacton', 'anomoly alerts', 'consolidaton'].map((q) => ({ q, label: 'typo' as const })),
  ...['TV campaign', 'one pager', 'slide deck', 'customer story', 'price list', 'SLA'].map((q) => ({ q, label: 'synonym' as const })),
  { q: 'forecasting', label: 'filtered', filter: { meili: 'kind = battlecard', rest: { 'filters[kind][$eq]': 'battlecard' } } },
  { q: 'audit trail', label: 'filtered', filter: { meili: 'kind = case_study', rest: { 'filters[kind][$eq]': 'case_study' } } },
  { q: 'pricing', label: 'filtered', filter: { meili: 'products = "Aurora Relay"', rest: { 'filters[products][name][$eq]': 'Aurora Relay' } } },
  { q: 'migration', label: 'filtered', filter: { meili: 'stage = decision', rest: { 'filters[funnelStage][$eq]': 'decision' } } },
  { q: 'Flowbridge', label: 'filtered', filter: { meili: 'regions = EMEA', rest: { 'filters[regions][name][$eq]': 'EMEA' } } },
  { q: 'spend controls', label: 'filtered', filter: { meili: 'personas = CFO', rest: { 'filters[personas][name][$eq]': 'CFO' } } },
];

// ---------------------------------------------------------------------------------------------------
// Files: one uploaded file per item, 20 pages of text each, as the worker would have read them.

/** Pages (or slides) in each item's file. */
export const FILE_PAGES = 20;

/** The file an item carries: a deck for decks, a PDF for everything else. */
export const fileKindOf = (kind: SyntheticCollateral['kind']): 'pdf' | 'pptx' => (kind === 'deck' ? 'pptx' : 'pdf');

/**
 * Two made-up words found only on page `page` of item i's file, so a query can target that page. Seven
 * random letters each: no other word in the index is within Meilisearch's one typo of them.
 */
export function pagePhrase(i: number, page: number): string {
  const bytes = crypto.createHash('sha1').update(`candor-bench-page-${i}-${page}`).digest();
  const word = (from: number) => Array.from(bytes.subarray(from, from + 7), (b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${word(0)} ${word(7)}`;
}

/** Page `page` (1-based) of item i's file: 150–300 words of sales prose with the page's phrase inside. */
export function filePage(i: number, page: number): string {
  const r = prng(i * 104_729 + page * 7919 + 5);
  const target = 140 + Math.floor(r() * 131);
  const sentences: string[] = [];
  let words = 0;
  while (words < target) {
    const sentence = pick(r, SENTENCES)(r);
    words += sentence.split(' ').length;
    sentences.push(sentence);
  }
  sentences.splice(Math.floor(sentences.length / 2), 0, `Internal code name for this page: ${pagePhrase(i, page)}.`);
  return sentences.join(' ');
}
