export default {
  routes: [
    {
      // A file of a published item, for a signed-in rep (src/files/access.ts decides): 410 once retracted.
      method: 'GET',
      path: '/collaterals/files/:name',
      handler: 'api::collateral.collateral.file',
    },
  ],
};
