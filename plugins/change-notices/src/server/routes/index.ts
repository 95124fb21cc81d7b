export default {
  'content-api': {
    type: 'content-api',
    routes: [
      {
        method: 'GET',
        path: '/health',
        handler: 'health.show',
        config: { auth: false },
      },
    ],
  },
};
