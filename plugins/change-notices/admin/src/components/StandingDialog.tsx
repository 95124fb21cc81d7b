import * as React from 'react';
import { Button, Field, Flex, Modal, Textarea, Typography } from '@strapi/design-system';
import { useForm, useNotification } from '@strapi/strapi/admin';
import { STANDING_LABELS, standingChangeSchema, type Standing, type SubjectKind } from '../../../src/shared/contracts';
import { isAbort, toProblem, useChangeNoticesApi, type CollateralOption } from '../api';
import { fieldMessage } from '../format';
import { useReloadEditView } from '../refresh';
import { SUBJECT_NOUNS } from '../subjects';
import { Notice } from './Notice';
import { ReplacementPicker } from './ReplacementPicker';

/** What the edit view knows about the document when the dialog opens. */
export interface StandingSubject {
  kind: SubjectKind;
  model: string;
  documentId: string;
  title: string;
  standing: Standing;
  needsReview: boolean;
  reviewNote: string | null;
}

type FieldName = 'reason' | 'nowTrue' | 'replacement' | 'note' | 'publicNote';
const FIELDS: FieldName[] = ['reason', 'nowTrue', 'replacement', 'note', 'publicNote'];
type FieldErrors = Partial<Record<FieldName, string>>;

export const ACTION_LABELS: Record<Standing, string> = {
  confirmed: 'Reconfirm',
  scaled_back: 'Scale back',
  retracted: 'Retract',
};

/**
 * What a buyer holding a share link reads when marketing leaves the buyer note empty: the server's
 * defaults (shares/service.ts), repeated here so the marketer knows what they are choosing between.
 */
const DEFAULT_BUYER_NOTES: Partial<Record<Standing, string>> = {
  scaled_back: 'This material is being updated. Your contact will send you the current version.',
  retracted: 'This material has been withdrawn and should no longer be relied on.',
};

const PAST_TENSE: Record<Standing, string> = {
  confirmed: 'reconfirmed',
  scaled_back: 'scaled back',
  retracted: 'retracted',
};

/** The dialog's title, shared with the action that opens it. */
export const dialogTitle = (target: Standing, kind: SubjectKind) => `${ACTION_LABELS[target]} this ${SUBJECT_NOUNS[kind]}`;

/** What happens when the marketer confirms, in the words sales will experience it. */
function Intro({ target, subject }: { target: Standing; subject: StandingSubject }) {
  const name = `“${subject.title}”`;
  const claimFlags =
    subject.kind === 'claim' ? ' Every published collateral that makes this claim is flagged for review, with what you write here.' : '';
  if (target === 'scaled_back') {
    return (
      <Typography tag="p">
        {name} will count as only partly true. Reps who use it get an action-required notice with your reason and what is true now.{claimFlags}
      </Typography>
    );
  }
  if (target === 'retracted') {
    return (
      <Typography tag="p">
        Sales is told to stop using {name}. Reps who use it get an action-required notice with your reason
        {subject.kind === 'collateral' ? ' and, if you name one, the replacement' : ''}.{claimFlags}
      </Typography>
    );
  }
  if (subject.standing === 'confirmed') {
    return (
      <Typography tag="p">
        Reconfirming records that you reviewed {name} and that it still holds. The review flag is cleared and the reason is kept in the
        history.
      </Typography>
    );
  }
  return (
    <Typography tag="p">
      {name} is currently {STANDING_LABELS[subject.standing].toLowerCase()}. Reconfirming tells sales it fully holds again.{claimFlags}
    </Typography>
  );
}

/** The request body, built from the form exactly as the shared schema expects it. */
function buildChange(
  target: Standing,
  kind: SubjectKind,
  values: { reason: string; nowTrue: string; note: string; publicNote: string; replacement: CollateralOption | null }
) {
  const note = values.note.trim() ? { note: values.note } : {};
  // Only collateral goes to buyers; a claim's standing change has no buyer note to send.
  const publicNote = kind === 'collateral' && values.publicNote.trim() ? { publicNote: values.publicNote } : {};
  if (target === 'scaled_back') return { standing: target, reason: values.reason, nowTrue: values.nowTrue, ...note, ...publicNote };
  if (target === 'retracted') {
    const replacement = kind === 'collateral' && values.replacement ? { replacement: values.replacement.documentId } : {};
    return { standing: target, reason: values.reason, ...replacement, ...note, ...publicNote };
  }
  return { standing: target, reason: values.reason, ...note };
}

const asField = (path: PropertyKey | undefined): FieldName | null => (FIELDS.includes(path as FieldName) ? (path as FieldName) : null);

interface StandingDialogProps {
  target: Standing;
  subject: StandingSubject;
  onClose: () => void;
}

/**
 * The body and footer of the Scale back / Retract / Reconfirm modal. Validates with the schema the
 * server uses, so most mistakes are caught before the request; the server's own 400s (e.g. a
 * replacement retracted meanwhile) land on the field they name.
 */
export function StandingDialog({ target, subject, onClose }: StandingDialogProps) {
  const api = useChangeNoticesApi();
  const reload = useReloadEditView(subject.model, subject.documentId);
  const { toggleNotification } = useNotification();
  const hasUnsavedEdits = useForm('ChangeNoticesStanding', (state) => state.modified, false) === true;
  const formRef = React.useRef<HTMLFormElement>(null);
  const [reason, setReason] = React.useState('');
  const [nowTrue, setNowTrue] = React.useState('');
  const [note, setNote] = React.useState('');
  const [publicNote, setPublicNote] = React.useState('');
  const [replacement, setReplacement] = React.useState<CollateralOption | null>(null);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [formError, setFormError] = React.useState<string | null>(null);
  const [submitting, setSubmitting] = React.useState(false);

  const showErrors = (next: FieldErrors) => {
    setErrors(next);
    const first = FIELDS.find((field) => next[field]);
    // After the render that marks the field invalid, so its error is announced with it.
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus());
  };

  // Start in the reason, which every standing change needs. Not `autoFocus`: the actions menu this
  // dialog opens from hands focus back to its trigger as it closes, after the dialog has mounted.
  React.useEffect(() => {
    const frame = requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[name="reason"]')?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);

  const clearError = (field: FieldName) => setErrors((previous) => (previous[field] ? { ...previous, [field]: undefined } : previous));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    setFormError(null);
    const parsed = standingChangeSchema.safeParse(buildChange(target, subject.kind, { reason, nowTrue, note, publicNote, replacement }));
    if (!parsed.success) {
      const next: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = asField(issue.path[0]);
        if (field && !next[field]) next[field] = fieldMessage(field, issue.message);
        else if (!field) setFormError(issue.message);
      }
      showErrors(next);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      const result = await api.changeStanding(subject.kind, subject.documentId, parsed.data);
      if (!result.changed && target === 'confirmed' && subject.needsReview) {
        // The server treats a reconfirmation with the reason already on record as a repeated request
        // and leaves the review flag set. Closing with "done" would hide that the review is still open.
        showErrors({ reason: 'This is the reason already on record, so the review is still open: say what you checked this time.' });
        setSubmitting(false);
        return;
      }
      if (!result.changed) {
        toggleNotification({
          type: 'info',
          message: `Nothing new to record: “${subject.title}” was already ${PAST_TENSE[target]} with this reason.`,
        });
      } else {
        const flagged =
          result.flaggedCollateral > 0
            ? ` ${result.flaggedCollateral} collateral ${result.flaggedCollateral === 1 ? 'item that makes' : 'items that make'} this claim ${result.flaggedCollateral === 1 ? 'is' : 'are'} flagged for review.`
            : '';
        toggleNotification({
          type: 'success',
          title: `${subject.kind === 'claim' ? 'Claim' : 'Collateral'} ${PAST_TENSE[target]}`,
          message: `Version ${result.version} is recorded and sales is being notified.${flagged}`,
        });
      }
      reload();
      onClose();
    } catch (error) {
      if (isAbort(error)) return;
      const problem = toProblem(error);
      const next: FieldErrors = {};
      for (const [path, message] of Object.entries(problem.fields)) {
        const field = asField(path);
        if (field) next[field] = fieldMessage(field, message);
      }
      if (Object.keys(next).length) showErrors(next);
      else if (problem.status === 404) setFormError(`This ${SUBJECT_NOUNS[subject.kind]} has no published version (any more). Reload the page to see its current state.`);
      else setFormError(problem.message);
      setSubmitting(false);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Modal.Body>
        <Flex direction="column" alignItems="stretch" gap={5}>
          <Intro target={target} subject={subject} />
          {target === 'confirmed' && subject.needsReview ? (
            <Notice variant="warning" title="Why this needs review">
              {subject.reviewNote ?? 'A claim this collateral makes changed its standing.'}
            </Notice>
          ) : null}
          {hasUnsavedEdits ? (
            <Notice variant="warning" title="You have unsaved changes">
              This {SUBJECT_NOUNS[subject.kind]} reloads after the standing changes, which discards them. Cancel and save first to keep them.
            </Notice>
          ) : null}
          {formError ? (
            <Notice variant="danger" title="The standing was not changed" role="alert">
              {formError}
            </Notice>
          ) : null}

          <Field.Root name="reason" required error={errors.reason} hint="Sales reads this in the change notice. At least 5 characters.">
            <Field.Label>Reason</Field.Label>
            <Textarea
              name="reason"
              value={reason}
              onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                setReason(event.target.value);
                clearError('reason');
              }}
              placeholder={target === 'confirmed' ? 'What did you check, and what confirms it still holds?' : 'What changed, and since when?'}
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>

          {target === 'scaled_back' ? (
            <Field.Root name="nowTrue" required error={errors.nowTrue} hint="What reps may say instead, in a sentence they can repeat to a customer.">
              <Field.Label>What is true now</Field.Label>
              <Textarea
                name="nowTrue"
                value={nowTrue}
                onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                  setNowTrue(event.target.value);
                  clearError('nowTrue');
                }}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          ) : null}

          {target === 'retracted' && subject.kind === 'collateral' ? (
            <ReplacementPicker
              excludeId={subject.documentId}
              value={replacement}
              onChange={(next) => {
                setReplacement(next);
                clearError('replacement');
              }}
              error={errors.replacement}
            />
          ) : null}

          <Field.Root name="note" error={errors.note} hint="Optional. Kept in the history and added to the notice as a note from marketing.">
            <Field.Label>Note</Field.Label>
            <Textarea
              name="note"
              value={note}
              onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                setNote(event.target.value);
                clearError('note');
              }}
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>

          {subject.kind === 'collateral' && DEFAULT_BUYER_NOTES[target] ? (
            <Field.Root
              name="publicNote"
              error={errors.publicNote}
              hint={`Optional; buyers never see the reason or the note above.${target === 'scaled_back' ? ' Shown only while no version is marked safe for buyers in the history.' : ''} Left empty, buyers read: “${DEFAULT_BUYER_NOTES[target]}”`}
            >
              <Field.Label>Note for buyers (shown on their share links instead of the item)</Field.Label>
              <Textarea
                name="publicNote"
                value={publicNote}
                onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                  setPublicNote(event.target.value);
                  clearError('publicNote');
                }}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          ) : null}
        </Flex>
      </Modal.Body>
      <Modal.Footer>
        <Button variant="tertiary" onClick={onClose} disabled={submitting}>
          Cancel
        </Button>
        <Button type="submit" variant={target === 'retracted' ? 'danger' : 'default'} loading={submitting}>
          {ACTION_LABELS[target]}
        </Button>
      </Modal.Footer>
    </form>
  );
}
