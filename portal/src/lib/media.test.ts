import { describe, expect, it } from 'vitest';
import type { Media } from './cms';
import { coverImage, inlineContentType, mediaHref } from './media';

describe('mediaHref', () => {
  it('serves every stored file through the portal: checked-route, signed and bucket URLs alike', () => {
    expect(mediaHref('/api/collaterals/files/cover_ab12.png')).toBe('/media/cover_ab12.png');
    expect(mediaHref('/uploads/cover_ab12.png?expires=1&signature=x')).toBe('/media/cover_ab12.png');
    // A presigned bucket URL never reaches a browser: the portal fetches it after its own checks.
    expect(mediaHref('https://bucket.s3.example.com/candor/cover.png?X-Amz-Signature=abc')).toBe('/media/cover.png');
  });

  it('refuses anything else', () => {
    for (const url of ['/uploads/../admin', '/uploads/a/b.png', '/uploads/.hidden', '/api/collaterals/files/%2e%2e%2fx', '/api/collaterals/files/a%2fb', 'http://insecure.example/a.png', 'javascript:x', '/etc/passwd', '', null, undefined]) {
      expect(mediaHref(url)).toBeNull();
    }
  });
});

describe('coverImage', () => {
  const cover: Media = {
    name: 'c.png',
    url: '/uploads/c.png',
    alternativeText: 'Cover',
    mime: 'image/png',
    size: 40,
    width: 1200,
    height: 675,
    formats: {
      thumbnail: { url: '/uploads/thumbnail_c.png', width: 245, height: 138 },
      small: { url: '/uploads/small_c.png', width: 500, height: 281 },
      medium: { url: '/uploads/medium_c.png', width: 750, height: 422 },
    },
    pages: 0,
  };

  it('offers every size, smallest first, and picks the preferred one', () => {
    expect(coverImage(cover, 'small')).toEqual({
      src: '/media/small_c.png',
      srcset: '/media/thumbnail_c.png 245w, /media/small_c.png 500w, /media/medium_c.png 750w, /media/c.png 1200w',
      width: 500,
      height: 281,
    });
  });

  it('falls back to the original when the format is missing', () => {
    expect(coverImage(cover, 'large')).toMatchObject({ src: '/media/c.png', width: 1200, height: 675 });
    expect(coverImage({ ...cover, formats: {} })).toEqual({ src: '/media/c.png', srcset: '/media/c.png 1200w', width: 1200, height: 675 });
  });

  it('has nothing to show without a servable URL', () => {
    expect(coverImage(null)).toBeNull();
    expect(coverImage({ ...cover, url: 'ftp://x/c.png', formats: {} })).toBeNull();
  });
});

describe('inlineContentType', () => {
  it('shows images, video and PDFs in the browser', () => {
    for (const t of ['image/png', 'image/webp', 'video/mp4', 'application/pdf', 'image/jpeg; charset=binary']) expect(inlineContentType(t)).toBe(true);
  });

  it('downloads anything that could act as a page on our origin', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/plain', 'application/octet-stream', null]) expect(inlineContentType(t)).toBe(false);
  });
});
