/**
 * Files uploaded to Strapi are private (cms/src/files): Strapi gives reps URLs of its checked route
 * `/api/collaterals/files/<name>`. Reps never talk to Strapi, so the portal serves every file from
 * `/media/<name>` or an item's download route, behind the session, and never hands a browser a
 * storage URL.
 */
import type { Media } from './cms';

/** File names Strapi's local upload provider produces; anything else is refused. */
export const MEDIA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/**
 * The stored file's own name (the last path segment, `<hash><ext>`) of a file URL Strapi gave out:
 * its checked route, a signed `/uploads/…` URL, or an https URL of a storage provider. Null for
 * anything else.
 */
export function storedFileName(url: string | null | undefined): string | null {
  if (!url) return null;
  const relative = /^\/(?:uploads|api\/collaterals\/files)\/([^/?#]+)(?:\?[^#]*)?$/.exec(url);
  let last: string;
  if (relative) last = relative[1]!;
  else if (/^https:\/\//i.test(url)) {
    try {
      last = new URL(url).pathname.split('/').pop() ?? '';
    } catch {
      return null;
    }
  } else return null;
  try {
    last = decodeURIComponent(last);
  } catch {
    return null;
  }
  return MEDIA_NAME.test(last) && !last.includes('..') ? last : null;
}

/** Where the browser fetches a Strapi media URL from (always the portal), or null when it cannot. */
export function mediaHref(url: string | null | undefined): string | null {
  const name = storedFileName(url);
  return name ? `/media/${name}` : null;
}

export interface ImageSource {
  src: string;
  srcset: string | null;
  width: number | null;
  height: number | null;
}

/**
 * A cover as an `<img>` source set from Strapi's generated formats (thumbnail 245, small 500,
 * medium 750, large 1000 px wide), so phones do not download the full image.
 */
export function coverImage(media: Media | null, preferred: 'thumbnail' | 'small' | 'medium' | 'large' = 'small'): ImageSource | null {
  if (!media) return null;
  const candidates = [...Object.values(media.formats), { url: media.url, width: media.width, height: media.height }]
    .map((f) => ({ href: mediaHref(f.url), width: f.width ?? null, height: f.height ?? null }))
    .filter((f): f is { href: string; width: number | null; height: number | null } => f.href !== null);
  if (candidates.length === 0) return null;
  const main = mediaHref(media.formats[preferred]?.url) ?? mediaHref(media.url);
  if (!main) return null;
  const sized = candidates.filter((c) => c.width).sort((a, b) => a.width! - b.width!);
  const seen = new Set<number>();
  const srcset = sized
    .filter((c) => (seen.has(c.width!) ? false : (seen.add(c.width!), true)))
    .map((c) => `${c.href} ${c.width}w`)
    .join(', ');
  const chosen = media.formats[preferred] ?? media;
  return { src: main, srcset: srcset || null, width: chosen.width ?? null, height: chosen.height ?? null };
}

/** Content types served inline from /media; everything else is sent as a download. */
export function inlineContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'image/svg+xml') return false;
  return /^(image|video|audio)\//.test(type) || type === 'application/pdf';
}
