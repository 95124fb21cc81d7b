import type { Core } from '@strapi/strapi';
import type { Standing } from '@candor/change-notices/contracts';
import { changeNotices } from '@candor/change-notices/server';
import { ROLES } from '../bootstrap/roles';
import { CLAIMS, COLLATERAL, PERSONAS, PRODUCTS, REGIONS } from './demo-content';
import { demoFiles } from './files';

const slugify = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The second demo rep, derived from the first (rep@x → rep.two@x); README documents it. */
export const secondRepEmail = (email: string) => email.replace('@', '.two@');

export function demoAccounts(env: NodeJS.ProcessEnv = process.env) {
  const repEmail = env.CANDOR_REP_EMAIL ?? 'rep@candor.local';
  const repPassword = env.CANDOR_REP_PASSWORD ?? 'Candor-Rep-1';
  return {
    marketer: { email: env.CANDOR_ADMIN_EMAIL ?? 'marketing@candor.local', password: env.CANDOR_ADMIN_PASSWORD ?? 'Candor-Marketing-1', firstname: 'Morgan', lastname: 'Marketing' },
    reps: [
      { email: repEmail, password: repPassword, username: 'Riley Rep' },
      { email: secondRepEmail(repEmail), password: repPassword, username: 'Sam Seller' },
    ],
  };
}

/** Demo accounts on every start (idempotent); demo content only into an empty database. */
export async function seedDemoContent(strapi: Core.Strapi) {
  await seedAccounts(strapi);
  if ((await strapi.documents('api::collateral.collateral').count({})) > 0) return;
  strapi.log.info('[candor] seeding demo content');

  const idsByName = async (uid: 'api::product.product' | 'api::region.region' | 'api::persona.persona', names: string[], extra: (n: string) => object = () => ({})) => {
    const map = new Map<string, string>();
    for (const name of names) {
      const doc = await strapi.documents(uid).create({ data: { name, slug: slugify(name), ...extra(name) } as never });
      map.set(name, doc.documentId);
    }
    return map;
  };
  const products = await idsByName('api::product.product', PRODUCTS.map((p) => p.name), (n) => {
    const p = PRODUCTS.find((x) => x.name === n)!;
    return { line: p.line, description: p.description };
  });
  const regions = await idsByName('api::region.region', REGIONS);
  const personas = await idsByName('api::persona.persona', PERSONAS);
  const pick = (map: Map<string, string>, names: string[]) => names.map((n) => map.get(n)!);

  const claims = new Map<string, string>();
  for (const c of CLAIMS) {
    const doc = await strapi.documents('api::claim.claim').create({
      data: {
        statement: c.statement,
        slug: slugify(c.statement),
        details: c.details,
        standing: 'confirmed',
        effectiveDate: c.effectiveDate,
        products: pick(products, c.products),
      } as never,
      status: 'published',
    });
    claims.set(c.key, doc.documentId);
  }

  // Replacements first, so a retracted item can point at the one that replaces it.
  const ordered = [...COLLATERAL].sort((a, b) => Number(Boolean(a.replacedBy)) - Number(Boolean(b.replacedBy)));
  const collateral = new Map<string, string>();
  const { marketer } = demoAccounts();
  // Files make the portal real (thumbnails, downloads); tests that don't need them skip the uploads.
  const withFiles = process.env.CANDOR_DEMO_FILES !== 'false';
  for (const c of ordered) {
    const slug = slugify(c.title);
    const media = withFiles ? await demoFiles(strapi, { ...c, slug }) : null;
    const doc = await strapi.documents('api::collateral.collateral').create({
      data: {
        title: c.title,
        slug,
        kind: c.kind,
        ...(media ? { cover: media.cover, files: media.files } : {}),
        summary: c.summary,
        body: c.body,
        products: pick(products, c.products),
        personas: pick(personas, c.personas),
        regions: pick(regions, c.regions),
        funnelStage: c.funnelStage,
        claims: c.claims.map((k) => claims.get(k)!),
        standing: 'confirmed',
        reviewBy: c.reviewBy,
        ownerEmail: c.ownerEmail ?? marketer.email,
      } as never,
      status: 'published',
    });
    collateral.set(c.title, doc.documentId);
  }

  // Then the story happens the way it does in real life: everything went out as confirmed, and
  // marketing scales back and retracts through the same service the admin dialogs and REST use, so
  // the demo has real versions with diffs, flagged collateral and action-required notices in the
  // reps' inboxes and in the mail catcher.
  const { standing } = changeNotices(strapi);
  const marketerAdmin = await strapi.db.query('admin::user').findOne({ where: { email: marketer.email } });
  const actor = { kind: 'admin' as const, id: marketerAdmin?.id ?? null, name: `${marketer.firstname} ${marketer.lastname}` };
  const change = (c: { standing?: Standing; standingReason?: string; nowTrue?: string }, replacement?: string) =>
    c.standing === 'scaled_back'
      ? { standing: 'scaled_back' as const, reason: c.standingReason!, nowTrue: c.nowTrue! }
      : { standing: 'retracted' as const, reason: c.standingReason!, ...(replacement ? { replacement } : {}) };
  for (const c of CLAIMS.filter((x) => x.standing !== 'confirmed')) {
    await standing.change('api::claim.claim', claims.get(c.key)!, change(c), actor);
  }
  for (const c of ordered.filter((x) => x.standing && x.standing !== 'confirmed')) {
    await standing.change('api::collateral.collateral', collateral.get(c.title)!, change(c, c.replacedBy ? collateral.get(c.replacedBy) : undefined), actor);
  }
  strapi.log.info(`[candor] demo content: ${collateral.size} collateral, ${claims.size} claims, ${products.size} products`);
}

async function seedAccounts(strapi: Core.Strapi) {
  const { marketer, reps } = demoAccounts();
  const adminUsers = strapi.service('admin::user');
  if (!(await adminUsers.exists({ email: marketer.email }))) {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await adminUsers.create({ ...marketer, isActive: true, roles: [superAdmin.id], registrationToken: null });
    strapi.log.info(`[candor] created marketer admin ${marketer.email}`);
  }
  const roles = strapi.db.query('plugin::users-permissions.role');
  const repRole = await roles.findOne({ where: { type: ROLES.salesRep.type } });
  const marketerRole = await roles.findOne({ where: { type: ROLES.marketer.type } });
  const users = strapi.plugin('users-permissions').service('user');
  const ensureUser = async (email: string, username: string, password: string, role: number) => {
    const existing = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email } });
    if (!existing) await users.add({ email, username, password, role, provider: 'local', confirmed: true, blocked: false });
  };
  // The marketer also gets a REST account, for automation and the standing-change API.
  await ensureUser(marketer.email, `${marketer.firstname} ${marketer.lastname}`, marketer.password, marketerRole.id);
  for (const rep of reps) await ensureUser(rep.email, rep.username, rep.password, repRole.id);
}
