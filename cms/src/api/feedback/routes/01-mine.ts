export default {
  routes: [{ method: 'GET', path: '/feedbacks/mine', handler: 'api::feedback.feedback.mine' }],
};
