/**
 * Files through the portal: which collateral a Strapi upload belongs to (and whether that item is
 * retracted), logging views and downloads (`POST /api/change-notices/views`, so a retraction notice
 * reaches the reps who recently opened or downloaded the item), and streaming the bytes from Strapi.
 * CMS calls use the transport of `cms.ts` (zod-checked, {@link CmsError}).
 *
 * Why two routes:
 * - `/collateral/<slug>/download/<file>` is how reps get an item's documents. It asks Strapi for the
 *   item's standing at that moment, as the rep: a retracted item answers 410 with its tombstone and
 *   never the file. Every download is logged.
 * - `/media/<file>` stays for images the pages embed (covers and their thumbnails). It checks, also
 *   live and per request, which collateral the upload belongs to: a file of a retracted item is 410;
 *   a document of a current item is sent to that item's download route (so it is checked and
 *   logged there too; old `/media/…pdf` links keep working). See `mediaDecision`.
 * No cache of standings: retracting must take effect on the next request, and the search index is
 * not trusted for standing either.
 */
import contentDisposition from 'content-disposition';
import { mediaOwnersResponseSchema, STANDINGS, type MediaOwner } from '@candor/change-notices/contracts';
import { toStrapiQuery, type CmsClient, type Media } from './cms';
import { formatSize } from './format';
import { inlineContentType, storedFileName } from './media';
import { logFailure } from './problems';

// ---------------------------------------------------------------------------------------------------
// Names and labels.

/** The upload's own name (the last segment of its URL), the id the portal's file routes use. */
export const uploadName = storedFileName;

/** Where a rep downloads one of an item's files. */
export function downloadHref(slug: string, file: Pick<Media, 'url'>): string | null {
  const name = uploadName(file.url);
  return name ? `/collateral/${encodeURIComponent(slug)}/download/${encodeURIComponent(name)}` : null;
}

const TYPE_LABELS: [RegExp, string][] = [
  [/^application\/pdf$/, 'PDF'],
  [/^application\/vnd\.openxmlformats-officedocument\.presentationml/, 'PowerPoint'],
  [/^application\/vnd\.ms-powerpoint$/, 'PowerPoint'],
  [/^application\/vnd\.openxmlformats-officedocument\.wordprocessingml/, 'Word document'],
  [/^application\/msword$/, 'Word document'],
  [/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml/, 'Excel workbook'],
  [/^application\/vnd\.ms-excel$/, 'Excel workbook'],
  [/^text\/csv$/, 'CSV'],
  [/^application\/zip$/, 'ZIP archive'],
  [/^text\/plain$/, 'Text'],
];

/** A file's type as a rep reads it: "PDF", "PowerPoint", "PNG image", or the extension. */
export function fileTypeLabel(mime: string | null, name: string): string {
  const type = (mime ?? '').split(';')[0]!.trim().toLowerCase();
  for (const [pattern, label] of TYPE_LABELS) if (pattern.test(type)) return label;
  const ext = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toUpperCase();
  if (type.startsWith('image/')) return `${ext ?? type.slice(6).toUpperCase()} image`;
  if (type.startsWith('video/')) return `${ext ?? 'Video'} video`;
  if (type.startsWith('audio/')) return `${ext ?? 'Audio'} audio`;
  return ext ?? 'File';
}

/** Where the browser gets the worker's picture of a file's page (the portal's /previews route). */
export function previewHref(name: string, page: number): string {
  return `/previews/${encodeURIComponent(name)}/${page}`;
}

/** A pictured page of a file: the picture, and where a click takes the rep (that page of the PDF). */
export interface PagePreview {
  page: number;
  src: string;
  href: string;
}

/** A file as the collateral page lists it: where to get it, what it is, how big, and a thumbnail. */
export interface FileEntry {
  name: string;
  href: string;
  typeLabel: string;
  /** What the square beside a file without a picture says: its extension ("PPTX"), else the type. */
  badge: string;
  sizeText: string | null;
  /** Strapi's thumbnail for image files, else the worker's picture of the first page. */
  thumbnail: { src: string; width: number | null; height: number | null } | null;
  /** The pages the worker pictured (the first few of a PDF; an Office file's saved preview). */
  pages: PagePreview[];
}

export function fileEntries(slug: string, files: readonly Media[]): FileEntry[] {
  const entries: FileEntry[] = [];
  for (const f of files) {
    const href = downloadHref(slug, f);
    if (!href) continue;
    const thumb = f.formats.thumbnail;
    const thumbName = thumb ? uploadName(thumb.url) : null;
    const name = uploadName(f.url)!;
    // A PDF opens at the pictured page in the browser's viewer; other files are downloaded.
    const typeLabel = fileTypeLabel(f.mime, f.name);
    const isPdf = typeLabel === 'PDF';
    const pages = Array.from({ length: f.pages }, (_, i) => ({ page: i + 1, src: previewHref(name, i + 1), href: isPdf ? `${href}?view=inline#page=${i + 1}` : href }));
    entries.push({
      name: f.name,
      href,
      typeLabel,
      badge: (/\.([a-z0-9]{1,4})$/i.exec(f.name)?.[1] ?? typeLabel.slice(0, 4)).toUpperCase(),
      sizeText: formatSize(f.size),
      thumbnail: thumb && thumbName ? { src: `/media/${thumbName}`, width: thumb.width ?? null, height: thumb.height ?? null } : pages[0] ? { src: pages[0].src, width: null, height: null } : null,
      pages,
    });
  }
  return entries;
}

/** Images a page embeds; everything else is a document and goes through the download route. */
export function isImageName(name: string): boolean {
  return /\.(png|jpe?g|gif|webp|avif)$/i.test(name);
}

/** Strapi names an image's generated sizes `<format>_<original>`: the original's name, or null. */
export function originalOfFormat(name: string): string | null {
  const m = /^(?:thumbnail|small|medium|large)_(.+)$/.exec(name);
  return m ? m[1]! : null;
}

// ---------------------------------------------------------------------------------------------------
// CMS calls.

export type { MediaOwner };

/**
 * The collateral (current or retracted) an upload belongs to, as a file or as its cover. Image sizes
 * Strapi generated (`thumbnail_…`) count as their original.
 */
export async function mediaOwners(client: CmsClient, jwt: string, name: string): Promise<MediaOwner[]> {
  const { send, failure, parse } = client.transport;
  const path = '/api/collaterals';
  const original = originalOfFormat(name);
  // Matched by the stored file's hash (its name without the extension): the same whatever the store.
  const hashes = [name, ...(original ? [original] : [])].map((n) => n.replace(/\.[^.]*$/, ''));
  const query = toStrapiQuery({
    fields: ['slug', 'title', 'standing'],
    // Naming the standing explicitly: the CMS leaves retracted items out unless asked for them.
    filters: { standing: { $in: [...STANDINGS] }, $or: [{ files: { hash: { $in: hashes } } }, { cover: { hash: { $in: hashes } } }] },
    populate: { files: { fields: ['url'] }, cover: { fields: ['url'] } },
    pagination: { pageSize: 20 },
  });
  const res = await send(path, { jwt, query });
  if (res.status !== 200) throw failure(res, path);
  return parse(mediaOwnersResponseSchema, res, path).data;
}

/** What `/media/<name>` does with a request. */
export type MediaDecision = { action: 'serve' } | { action: 'gone'; slug: string; title: string } | { action: 'download'; href: string } | { action: 'missing' };

/**
 * - A file of a retracted item (and of no current one): gone, whatever its type.
 * - A document (not an image) of a current item: through that item's download route.
 * - An image of a current item, or an upload no collateral uses: served.
 * - A document no current collateral uses: not served (documents are only ever collateral files).
 */
export function mediaDecision(name: string, owners: readonly MediaOwner[]): MediaDecision {
  const original = originalOfFormat(name);
  const matches = (url: string | undefined) => {
    const stored = storedFileName(url);
    return stored !== null && (stored === name || stored === original);
  };
  const current = owners.filter((o) => o.standing !== 'retracted');
  const retracted = owners.find((o) => o.standing === 'retracted');
  if (current.length === 0 && retracted) return { action: 'gone', slug: retracted.slug, title: retracted.title };
  if (isImageName(name)) return { action: 'serve' };
  const owner = current.find((o) => o.files.some((f) => matches(f.url)));
  if (owner) return { action: 'download', href: `/collateral/${encodeURIComponent(owner.slug)}/download/${encodeURIComponent(name)}` };
  return { action: 'missing' };
}

/** Logs that the rep opened or downloaded an item. */
export async function recordView(client: CmsClient, jwt: string, collateral: string, action: 'view' | 'download'): Promise<void> {
  const { send, failure } = client.transport;
  const path = '/api/change-notices/views';
  const res = await send(path, { jwt, method: 'POST', json: { collateral, action } });
  if (res.status !== 204 && res.status !== 200) throw failure(res, path);
}

/** Logs a page view without waiting for it; a failure is a log line, never the rep's problem. */
export function recordViewInBackground(client: CmsClient, jwt: string, collateral: string, action: 'view' | 'download' = 'view'): void {
  recordView(client, jwt, collateral, action).catch((err: unknown) => logFailure(`recording a ${action} of ${collateral}`, err));
}

// ---------------------------------------------------------------------------------------------------
// Streaming uploads from Strapi.

export type UploadFetch = { ok: true; upstream: Response } | { ok: false; status: 403 | 404 | 410 | 502 | 503 };

/**
 * Fetches a stored file from Strapi's checked route as the rep (`/api/collaterals/files/<name>`),
 * which answers the bytes, or a redirect to a short-lived signed URL of the private bucket that is
 * followed here, so the browser never sees a storage URL. `forward` carries conditional and range
 * headers for /media.
 */
export async function fetchUpload(options: { strapiUrl: string; name: string; page?: number; jwt: string; timeoutMs: number; forward?: Headers }): Promise<UploadFetch> {
  // `page`: the worker's picture of that page (`…/files/<name>/pages/<n>`), under the same checks.
  const target = `${options.strapiUrl.replace(/\/+$/, '')}/api/collaterals/files/${encodeURIComponent(options.name)}${options.page ? `/pages/${options.page}` : ''}`;
  const headers: Record<string, string> = { authorization: `Bearer ${options.jwt}` };
  for (const h of ['range', 'if-none-match', 'if-modified-since']) {
    const v = options.forward?.get(h);
    if (v) headers[h] = v;
  }
  let upstream: Response;
  try {
    // fetch drops the authorization header when a redirect leaves Strapi's origin (the signed URL
    // needs none).
    upstream = await fetch(target, { headers, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
  } catch (err) {
    logFailure(`file ${options.name}`, err);
    return { ok: false, status: 503 };
  }
  if ([401, 403, 404, 410].includes(upstream.status)) {
    await upstream.body?.cancel().catch(() => undefined);
    return { ok: false, status: upstream.status === 401 ? 403 : (upstream.status as 403 | 404 | 410) };
  }
  if (![200, 206, 304].includes(upstream.status)) {
    logFailure(`file ${options.name}`, new Error(`the file store answered ${upstream.status}`));
    await upstream.body?.cancel().catch(() => undefined);
    return { ok: false, status: 502 };
  }
  return { ok: true, upstream };
}

/**
 * The plain-text answer to a failed {@link fetchUpload}; `missing`, `gone` and `failed` are the
 * route's own sentences for 404, 410 and 502 (403 and 503 read the same everywhere).
 */
export function uploadFailure(status: Exclude<UploadFetch, { ok: true }>['status'], words: { missing: string; gone: string; failed: string }): Response {
  const [code, body] =
    status === 404 ? [404, words.missing]
    : status === 410 ? [410, words.gone]
    : status === 403 ? [403, 'This file is not yours to open.']
    : status === 503 ? [503, 'The file store is not answering. Try again in a minute.']
    : [502, words.failed];
  return new Response(body, { status: code, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/**
 * The response headers for an upload. Only images, audio, video and PDFs are shown inline; anything
 * that could render as a page on our origin (HTML, SVG) is a download in a sandbox.
 */
export function uploadHeaders(upstream: Response, options: { filename: string; disposition: 'auto' | 'attachment'; cacheControl: string }): Headers {
  const type = upstream.headers.get('content-type');
  const inline = inlineContentType(type);
  const disposition = options.disposition === 'attachment' || !inline ? 'attachment' : 'inline';
  const headers = new Headers({
    'content-type': inline && type ? type : 'application/octet-stream',
    'cache-control': options.cacheControl,
    // The jshttp header builder (Express's): quoted-string escaping, an ISO-8859-1 fallback, filename* for the rest.
    'content-disposition': contentDisposition(options.filename, { type: disposition }),
  });
  // Chromium will not show a PDF in a sandboxed document; its viewer runs no page script anyway.
  if (!type?.startsWith('application/pdf')) headers.set('content-security-policy', "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
  for (const h of ['content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified']) {
    const v = upstream.headers.get(h);
    if (v) headers.set(h, v);
  }
  return headers;
}
