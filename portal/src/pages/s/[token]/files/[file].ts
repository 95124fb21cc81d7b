import type { APIRoute } from 'astro';
import { serveBuyerAsset } from '../../../../lib/share-assets';

/** GET /s/<token>/files/<file>: an image of the shared item, or a download the sender allowed (PDFs stamped for the buyer). */
export const GET: APIRoute = ({ params, clientAddress }) => serveBuyerAsset({ token: params.token ?? '', file: params.file ?? '', page: null, client: clientAddress });
