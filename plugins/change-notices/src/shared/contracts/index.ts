/**
 * Every request and response the plugin's APIs and the CMS's collateral API exchange with the portal
 * and the admin, as zod schemas with their types: servers shape their answers with them, readers parse
 * with the very same ones. Import from `@candor/change-notices/contracts`.
 */
export * from './response';
export * from './standing';
export * from './versions';
export * from './notices';
export * from './health';
export * from './search';
export * from './admin-notices';
export * from './files';
export * from './mentions';
export * from './shares';
// The app's vocabulary beyond change notices (collateral, feedback): see app/index.ts.
export * from './app';
export * from './text';
