import * as React from 'react';
import { CrossCircle, MinusCircle, SealCheck } from '@strapi/icons';
import { useDocumentRBAC } from '@strapi/strapi/admin';
import type { DocumentActionComponent } from '@strapi/content-manager/strapi-admin';
import type { Standing } from '../../../src/shared/contracts';
import { hasPublishedVersion, kindOfModel, reviewOf, standingOf, titleOf, type EditViewDocument, type EditViewMeta } from '../subjects';
import { ACTION_LABELS, StandingDialog, dialogTitle, type StandingSubject } from './StandingDialog';

const ICONS: Record<Standing, React.ReactNode> = {
  confirmed: <SealCheck />,
  scaled_back: <MinusCircle />,
  retracted: <CrossCircle />,
};

/**
 * One edit-view document action per target standing. The action for the standing the document already
 * has is hidden, except Reconfirm on collateral flagged for review: reconfirming is how the marketer
 * says "reviewed, still true".
 */
function createStandingAction(target: Standing): DocumentActionComponent {
  const StandingAction: DocumentActionComponent = ({ model, documentId, document, meta }) => {
    const kind = kindOfModel(model);
    const doc = document as EditViewDocument | undefined;
    const canUpdate = useDocumentRBAC('ChangeNoticesStandingAction', (rbac) => rbac.canUpdate, false);
    const standing = standingOf(doc);
    const review = kind ? reviewOf(kind, doc) : { needsReview: false, note: null };
    const title = kind ? titleOf(kind, doc) : '';

    const subject = React.useMemo<StandingSubject | null>(
      () =>
        kind && documentId
          ? { kind, model, documentId, title, standing, needsReview: review.needsReview, reviewNote: review.note }
          : null,
      [kind, model, documentId, title, standing, review.needsReview, review.note]
    );
    // The content manager renders the modal's content as a component: a new function on every render
    // would remount it and wipe what the marketer typed, so it only changes with the subject.
    const Content = React.useMemo(() => {
      if (!subject) return null;
      const Dialog = ({ onClose }: { onClose: () => void }) => <StandingDialog target={target} subject={subject} onClose={onClose} />;
      return Dialog;
    }, [subject]);

    if (!kind) return null;
    if (standing === target && !(target === 'confirmed' && review.needsReview)) return null;
    return {
      label: ACTION_LABELS[target],
      icon: ICONS[target],
      variant: target === 'retracted' ? 'danger' : 'secondary',
      position: 'panel',
      // Never published: there is no standing to change and nobody to tell (the History panel says so).
      disabled: !Content || !hasPublishedVersion(doc, meta as EditViewMeta | undefined) || canUpdate === false,
      dialog: { type: 'modal', title: dialogTitle(target, kind), content: Content },
    };
  };
  StandingAction.position = 'panel';
  StandingAction.displayName = `ChangeNotices${ACTION_LABELS[target].replace(/\s/g, '')}Action`;
  return StandingAction;
}

/** In order of severity, as the actions menu lists them. */
export const STANDING_ACTIONS: DocumentActionComponent[] = [
  createStandingAction('confirmed'),
  createStandingAction('scaled_back'),
  createStandingAction('retracted'),
];
