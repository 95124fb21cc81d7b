import { describe, expect, it } from 'vitest';
import { contentKeyOf } from './stored-once';

describe('objects stored by content', () => {
  const sha = 'a'.repeat(64);
  it('recognises a content key in local and bucket URLs, and nothing else', () => {
    expect(contentKeyOf(`/uploads/${sha}.pdf`)).toEqual({ hash: sha, ext: '.pdf' });
    expect(contentKeyOf(`https://bucket.example.com/root/${sha}.pptx?X-Amz-Signature=x`)).toEqual({ hash: sha, ext: '.pptx' });
    expect(contentKeyOf(`/uploads/${sha}`)).toEqual({ hash: sha, ext: '' });
    expect(contentKeyOf('/uploads/Launch_deck_4c1a2b.pdf')).toBeNull();
    expect(contentKeyOf(`/uploads/${'A'.repeat(64)}.pdf`)).toBeNull();
    expect(contentKeyOf(`/uploads/thumbnail_${sha}.png`)).toBeNull();
    expect(contentKeyOf(undefined)).toBeNull();
  });
});
