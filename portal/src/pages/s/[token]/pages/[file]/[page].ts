import type { APIRoute } from 'astro';
import { serveBuyerAsset } from '../../../../../lib/share-assets';

/** GET /s/<token>/pages/<file>/<n>: one pictured PDF page of a shared item (logged as read). */
export const GET: APIRoute = ({ params, clientAddress }) => serveBuyerAsset({ token: params.token ?? '', file: params.file ?? '', page: params.page ?? '', client: clientAddress });
