/** Must equal the server plugin's name: the admin API lives under `/${PLUGIN_ID}/…`. */
export const PLUGIN_ID = 'change-notices';
