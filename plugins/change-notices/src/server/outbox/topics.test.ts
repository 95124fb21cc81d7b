import { describe, expect, it } from 'vitest';
import { OUTBOX_TOPIC_NAMES, PRIORITY, TOPICS, outboxJob, parsePayload } from './topics';

const draft = {
  key: 'feedback:abc:shipped',
  urgency: 'fyi' as const,
  uid: 'api::collateral.collateral' as const,
  documentId: 'abc',
  version: 3,
  headline: 'Your suggestion shipped',
  whatChanged: 'x',
  why: null,
  whatToDo: 'y',
  link: 'http://portal.test/collateral/a',
  details: [],
  actor: 'Marketing',
};

describe('outbox topic registry', () => {
  it('builds the same key for the same payload, so a replayed event inserts nothing', () => {
    const payload = { uid: 'api::claim.claim' as const, documentId: 'c1', version: 4, urgency: 'action_required' as const, actor: { name: 'M' }, flagged: ['a'] };
    expect(outboxJob('notice.version', payload).key).toBe('notice:api::claim.claim:c1:v4');
    expect(outboxJob('notice.version', { ...payload, flagged: [] }).key).toBe(outboxJob('notice.version', payload).key);
    expect(outboxJob('notice.deliver', { deliveryId: 17 }).key).toBe('deliver:17');
    expect(outboxJob('notice.direct', { draft, userIds: [1] }).key).toBe('direct:feedback:abc:shipped');
  });

  it('names a batch of deliveries by its notice and first delivery, in the notice\'s lane, urgent before informational', () => {
    const batch = outboxJob('notice.deliver-batch', { noticeId: 7, urgency: 'action_required', deliveryIds: [41, 42, 43] });
    expect(batch).toMatchObject({ key: 'deliver-batch:7:41', lane: 'notice:7', priority: PRIORITY.urgentSend });
    expect(outboxJob('notice.deliver-batch', { noticeId: 7, urgency: 'fyi', deliveryIds: [44] }).priority).toBe(PRIORITY.send);
    expect(() => outboxJob('notice.deliver-batch', { noticeId: 7, urgency: 'fyi', deliveryIds: [] })).toThrow();
    // A failure handed over from a batch: the try it had there counts; a permanent one is stored dead.
    expect(outboxJob('notice.deliver', { deliveryId: 41 }, { attempts: 1, deadLetter: 'PermanentDeliveryError: 404' })).toMatchObject({ key: 'deliver:41', attempts: 1, deadLetter: 'PermanentDeliveryError: 404' });
  });

  it('keys a search sync by its cause', () => {
    expect(outboxJob('search.sync', { documentId: 'd', cause: { kind: 'version', number: 2 } }).key).toBe('search:d:v2');
    expect(outboxJob('search.sync', { documentId: 'd', cause: { kind: 'claim', claimDocumentId: 'c', number: 5 } }).key).toBe('search:d:claim:c:v5');
    expect(outboxJob('search.sync', { documentId: 'd', cause: { kind: 'removed', action: 'delete', at: 9 } }).key).toBe('search:d:delete:9');
  });

  it('refuses a payload that does not fit its topic when it is written', () => {
    expect(() => outboxJob('notice.deliver', { deliveryId: -1 })).toThrow();
    expect(() => outboxJob('notice.remind', { noticeId: 1 } as never)).toThrow();
    expect(() => outboxJob('mail.send', { ref: 'r', to: 'a@b.c', subject: 's', text: 't' } as never)).toThrow();
  });

  it('parses stored payloads, and says null for one an older build wrote in another shape', () => {
    expect(parsePayload('notice.deliver', { deliveryId: 3 })).toEqual({ deliveryId: 3 });
    expect(parsePayload('notice.deliver', { id: 3 })).toBeNull();
    expect(parsePayload('search.sync', { documentId: 'd' })).toEqual({ documentId: 'd' });
  });

  it('has a schema and a key builder for every topic', () => {
    expect(OUTBOX_TOPIC_NAMES.length).toBeGreaterThanOrEqual(9);
    for (const name of OUTBOX_TOPIC_NAMES) {
      expect(typeof TOPICS[name].key).toBe('function');
      expect(typeof TOPICS[name].payload.safeParse).toBe('function');
    }
  });
});
