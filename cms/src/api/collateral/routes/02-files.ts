export default {
  routes: [
    {
      // A file of a published item, for a signed-in rep (src/files/access.ts decides): 410 once retracted.
      method: 'GET',
      path: '/collaterals/files/:name',
      handler: 'api::collateral.collateral.file',
    },
    {
      // A picture of one of the file's first pages (the worker draws them), under the same checks.
      method: 'GET',
      path: '/collaterals/files/:name/pages/:page',
      handler: 'api::collateral.collateral.filePage',
    },
  ],
};
