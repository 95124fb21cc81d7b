import type { Core } from '@strapi/strapi';
import { getService } from '../services';
import { UPLOAD_FILE_UID } from './service';

interface UploadEvent {
  params?: { where?: { id?: unknown }; data?: Record<string, unknown> };
  result?: { id?: number; mime?: string | null; updatedAt?: string | Date | null } | null;
  state: { usedBy?: string[] };
}

/**
 * Wires files into the plugin's bootstrap: the `file.extract` handler, and a lifecycle on uploads that
 * queues a file's reading when its bytes are written: on upload, and on a replacement (an update that
 * carries a new size; a rename or a move to another folder does not), and forgets a deleted file's text.
 */
export function bootstrapFiles(strapi: Core.Strapi): void {
  const files = getService(strapi, 'files');
  getService(strapi, 'dispatcher').register('file.extract', async (job) => {
    await files.handleExtractJob(job);
  });
  const queue = async (event: UploadEvent) => {
    const r = event.result;
    if (!r?.id) return;
    const writtenAt = r.updatedAt ? new Date(r.updatedAt).getTime() : Date.now();
    await files.queueExtraction(null, [{ id: r.id, mime: r.mime ?? null, writtenAt: Number.isFinite(writtenAt) ? writtenAt : Date.now() }]);
  };
  const bytesWritten = (event: UploadEvent) => event.params?.data != null && 'size' in event.params.data;
  const deletedId = (event: UploadEvent) => Number(event.result?.id ?? event.params?.where?.id) || null;
  strapi.db.lifecycles.subscribe({
    models: [UPLOAD_FILE_UID],
    afterCreate: queue,
    async afterUpdate(event: UploadEvent) {
      if (bytesWritten(event)) await queue(event);
    },
    async beforeDelete(event: UploadEvent) {
      const id = deletedId(event);
      if (id) event.state.usedBy = await files.collateralUsing(id);
    },
    async afterDelete(event: UploadEvent) {
      const id = deletedId(event);
      if (id) await files.forget(id, event.state.usedBy ?? []);
    },
  });
}
