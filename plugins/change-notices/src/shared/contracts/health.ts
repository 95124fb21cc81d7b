/** GET /api/change-notices/health */
export interface PluginHealth {
  ok: true;
  plugin: 'change-notices';
  version: string;
  /** uids the document-service middleware watches. */
  watching: string[];
}
