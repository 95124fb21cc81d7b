/**
 * The app's content types the plugin knows, described once: which content type, how it is named to
 * people, which field is its title. Modules use these instead of string literals.
 */
import { SUBJECT_KINDS, type SubjectKind, type SubjectUid } from '../shared/contracts';

export interface SubjectDescriptor<K extends SubjectKind = SubjectKind> {
  kind: K;
  uid: (typeof SUBJECT_KINDS)[K];
  /** How people call one: "collateral", "claim". */
  noun: string;
  /** The attribute that names an item in lists, notices and versions. */
  titleField: 'title' | 'statement';
}

const collateral: SubjectDescriptor<'collateral'> = { kind: 'collateral', uid: SUBJECT_KINDS.collateral, noun: 'collateral', titleField: 'title' };
const claim: SubjectDescriptor<'claim'> = { kind: 'claim', uid: SUBJECT_KINDS.claim, noun: 'claim', titleField: 'statement' };

export const SUBJECTS = {
  collateral,
  claim,
  all: [collateral, claim] as const,
  byUid(uid: SubjectUid): SubjectDescriptor {
    return uid === claim.uid ? claim : collateral;
  },
  isSubject(uid: string): uid is SubjectUid {
    return uid === collateral.uid || uid === claim.uid;
  },
};

/** Other app content types the plugin reads: reps and admins, feedback, the search log. */
export const APP_UIDS = {
  user: 'plugin::users-permissions.user',
  adminUser: 'admin::user',
  feedback: 'api::feedback.feedback',
  searchLog: 'api::search-log.search-log',
  product: 'api::product.product',
  region: 'api::region.region',
} as const;

/** The users-permissions role whose members are reps. */
export const REP_ROLE = 'sales_rep';

