import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import sharp from 'sharp';

/** Cover colours per kind, so a rep recognises a battlecard from a pricing sheet at a glance. */
const PALETTE: Record<string, [string, string]> = {
  deck: ['#1d4ed8', '#60a5fa'],
  one_pager: ['#047857', '#34d399'],
  battlecard: ['#b42318', '#f97066'],
  case_study: ['#6d28d9', '#a78bfa'],
  pricing_sheet: ['#b54708', '#fdb022'],
  email_template: ['#0e7490', '#67e8f9'],
  talk_track: ['#344054', '#98a2b3'],
  video: ['#c11574', '#f670c7'],
};

/** A text-free geometric cover (no fonts needed on the machine), seeded by the title. */
async function coverPng(title: string, kind: string): Promise<Buffer> {
  const [dark, light] = PALETTE[kind] ?? PALETTE.deck!;
  let seed = [...title].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 1000) / 1000;
  const shapes = Array.from({ length: 7 }, () => {
    const r = 60 + rand() * 220;
    return `<circle cx="${Math.round(rand() * 1200)}" cy="${Math.round(rand() * 675)}" r="${Math.round(r)}" fill="#ffffff" fill-opacity="${(0.06 + rand() * 0.14).toFixed(2)}"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${dark}"/><stop offset="1" stop-color="${light}"/></linearGradient></defs>
<rect width="1200" height="675" fill="url(#g)"/>${shapes}<rect x="72" y="520" width="260" height="16" rx="8" fill="#ffffff" fill-opacity="0.85"/><rect x="72" y="552" width="180" height="12" rx="6" fill="#ffffff" fill-opacity="0.6"/></svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}

/** A one-page PDF with the title and summary in Helvetica (a base-14 font every viewer has). */
export function onePagePdf(title: string, lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => ({ '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '→': '->', '€': 'EUR', '·': '-' })[c] ?? '?').replace(/[\\()]/g, '\\$&');
  const wrap = (s: string, width: number) => s.split(/\s+/).reduce<string[]>((out, word) => {
    const last = out[out.length - 1];
    if (last !== undefined && (last + ' ' + word).length <= width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
    return out;
  }, []);
  const body = lines.flatMap((l) => [...wrap(l, 90), '']);
  const content = [
    'BT /F1 22 Tf 56 780 Td',
    ...wrap(title, 48).map((l, i) => `${i ? '0 -28 Td ' : ''}(${esc(l)}) Tj`),
    'ET',
    'BT /F1 11 Tf 56 700 Td 15 TL',
    ...body.map((l) => `(${esc(l)}) '`),
    'ET',
    'BT /F1 9 Tf 56 40 Td (Candor demo material. Always check the standing in the portal before you send it.) Tj ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** Uploads a generated file through Strapi's upload plugin (thumbnails and formats included). */
async function uploadBuffer(strapi: Core.Strapi, buffer: Buffer, name: string, mimetype: string, alternativeText: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-seed-'));
  const filepath = path.join(dir, name);
  fs.writeFileSync(filepath, buffer);
  try {
    const [file] = await strapi
      .plugin('upload')
      .service('upload')
      .upload({ data: { fileInfo: { name, alternativeText } }, files: { filepath, originalFilename: name, mimetype, size: buffer.length } });
    return file.id;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DOWNLOADABLE = new Set(['deck', 'one_pager', 'battlecard', 'case_study', 'pricing_sheet', 'talk_track', 'email_template']);

/** A cover for every item and a PDF for the printable kinds. */
export async function demoFiles(strapi: Core.Strapi, c: { title: string; slug: string; kind: string; summary: string; body: string }) {
  const cover = await uploadBuffer(strapi, await coverPng(c.title, c.kind), `${c.slug}-cover.png`, 'image/png', `Cover of ${c.title}`);
  const files = DOWNLOADABLE.has(c.kind)
    ? [await uploadBuffer(strapi, onePagePdf(c.title, [c.summary, ...c.body.replace(/[#>*|]/g, '').split('\n').filter((l) => l.trim())]), `${c.slug}.pdf`, 'application/pdf', c.title)]
    : [];
  return { cover, files };
}
