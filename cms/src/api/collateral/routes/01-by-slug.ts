export default {
  routes: [
    {
      method: 'GET',
      path: '/collaterals/by-slug/:slug',
      handler: 'api::collateral.collateral.findBySlug',
    },
  ],
};
