import type { Core } from '@strapi/strapi';

/** What a sales rep may do over REST: read published material, its history and their own things. */
const READ_CONTENT = ['collateral', 'claim', 'product', 'region', 'persona'].flatMap((t) => [
  `api::${t}.${t}.find`,
  `api::${t}.${t}.findOne`,
]);

const SALES_REP = [
  ...READ_CONTENT,
  'api::collateral.collateral.findBySlug',
  // The files of current items (src/files): private everywhere else.
  'api::collateral.collateral.file',
  'api::collateral.collateral.filePage',
  'api::feedback.feedback.create',
  'api::feedback.feedback.mine',
  'plugin::users-permissions.user.me',
  'plugin::change-notices.versions.find',
  'plugin::change-notices.versions.findOne',
  'plugin::change-notices.versions.recent',
  ...['find', 'count', 'read', 'acknowledge', 'getSubscription', 'putSubscription', 'recordView'].map((a) => `plugin::change-notices.inbox.${a}`),
  ...['create', 'find', 'revoke', 'sendReplacement'].map((a) => `plugin::change-notices.shares.${a}`),
  // Search: a tenant token, the truth overlay and logging their searches (search-log has no REST of its own).
  ...['token', 'truth', 'log'].map((a) => `plugin::change-notices.search.${a}`),
];

const MARKETER = [
  ...SALES_REP,
  ...['collateral', 'claim', 'product', 'region', 'persona'].flatMap((t) => [
    `api::${t}.${t}.create`,
    `api::${t}.${t}.update`,
    `api::${t}.${t}.delete`,
  ]),
  'api::feedback.feedback.find',
  'api::feedback.feedback.findOne',
  'api::feedback.feedback.update',
  'plugin::change-notices.standing.change',
  'plugin::change-notices.versions.restore',
];

export const ROLES = {
  salesRep: { type: 'sales_rep', name: 'Sales rep', description: 'Reads current collateral, its history and notices.', actions: SALES_REP },
  marketer: { type: 'marketer', name: 'Marketer', description: 'Publishes collateral and changes its standing.', actions: MARKETER },
} as const;

/**
 * Makes the users-permissions roles exactly what the code says, on every boot: missing roles and
 * permissions are added, permissions nobody granted here are removed. The public role may only sign in.
 */
export async function ensureRoles(strapi: Core.Strapi) {
  const roles = strapi.db.query('plugin::users-permissions.role');
  const permissions = strapi.db.query('plugin::users-permissions.permission');

  const sync = async (roleId: number, wanted: readonly string[]) => {
    const existing: { id: number; action: string }[] = await permissions.findMany({ where: { role: roleId } });
    const have = new Set(existing.map((p) => p.action));
    for (const action of wanted) if (!have.has(action)) await permissions.create({ data: { action, role: roleId } });
    const extra = existing.filter((p) => !wanted.includes(p.action)).map((p) => p.id);
    if (extra.length) await permissions.deleteMany({ where: { id: { $in: extra } } });
  };

  for (const spec of Object.values(ROLES)) {
    let role = await roles.findOne({ where: { type: spec.type } });
    if (!role) role = await roles.create({ data: { type: spec.type, name: spec.name, description: spec.description } });
    await sync(role.id, spec.actions);
  }
  // The public may sign in, and nothing else: no content, no self-registration.
  const publicRole = await roles.findOne({ where: { type: 'public' } });
  if (publicRole) await sync(publicRole.id, ['plugin::users-permissions.auth.callback']);

  // New accounts are reps; nobody signs themselves up.
  const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const advanced = ((await store.get()) ?? {}) as Record<string, unknown>;
  if (advanced.default_role !== ROLES.salesRep.type || advanced.allow_register !== false) {
    await store.set({ value: { ...advanced, default_role: ROLES.salesRep.type, allow_register: false } });
  }
}
