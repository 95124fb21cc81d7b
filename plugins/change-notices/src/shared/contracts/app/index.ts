/**
 * The app's shared vocabulary: the CMS's own content types (collateral and its taxonomy, reps'
 * feedback), which the CMS, the portal and this plugin all speak. They are not change-notices
 * concepts; they live in this package only because it is the one workspace all three already depend
 * on, and they are published with the plugin's contracts (`@candor/change-notices/contracts`). If a
 * fourth reader appears, this folder is what moves into a package of its own.
 */
export * from './collateral';
export * from './feedback';
