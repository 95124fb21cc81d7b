/**
 * The demo story Candor exists for: marketing announced two new products and a national TV campaign;
 * three quarters later it is two features and late-night cable spots. Claims carry that truth, and
 * the collateral that made the promises shows it.
 */
import type { Standing } from '@candor/change-notices/contracts';

export const PRODUCTS = [
  { name: 'Aurora Pulse', line: 'Analytics', description: 'Revenue analytics and forecasting for mid-market finance teams.' },
  { name: 'Aurora Relay', line: 'Automation', description: 'Workflow automation that connects CRM, billing and support.' },
  { name: 'Aurora Vault', line: 'Security', description: 'Document security and access governance for regulated industries.' },
];

export const REGIONS = ['North America', 'EMEA', 'APAC', 'LATAM'];
export const PERSONAS = ['CFO', 'IT Director', 'Operations Manager', 'Procurement Lead'];

export interface DemoClaim {
  key: string;
  statement: string;
  details: string;
  products: string[];
  standing: Standing;
  standingReason?: string;
  nowTrue?: string;
  effectiveDate: string;
}

export const CLAIMS: DemoClaim[] = [
  {
    key: 'tv',
    statement: 'National TV campaign in Q4',
    details: 'A national prime-time TV campaign drives brand awareness for the whole Aurora suite from October.',
    products: ['Aurora Pulse', 'Aurora Relay', 'Aurora Vault'],
    standing: 'scaled_back',
    standingReason: 'The Q4 media budget was cut by 70 % after the September planning review.',
    nowTrue: 'Late-night cable spots in 12 selected markets, October to December. Do not promise national TV.',
    effectiveDate: '2026-09-15',
  },
  {
    key: 'two-products',
    statement: 'Two new products launch in Q3',
    details: 'Aurora Forecast and Aurora Ledger join the suite as standalone products in Q3.',
    products: ['Aurora Pulse'],
    standing: 'scaled_back',
    standingReason: 'Engineering folded both into Aurora Pulse instead of shipping separate products.',
    nowTrue: 'Two new features in Aurora Pulse: scenario forecasting and ledger sync. No new SKUs, no separate pricing.',
    effectiveDate: '2026-07-01',
  },
  {
    key: 'uptime',
    statement: '99.95 % uptime SLA on every plan',
    details: 'All Aurora plans include a financially backed 99.95 % monthly uptime commitment.',
    products: ['Aurora Pulse', 'Aurora Relay', 'Aurora Vault'],
    standing: 'confirmed',
    effectiveDate: '2026-01-01',
  },
  {
    key: 'soc2',
    statement: 'SOC 2 Type II certified',
    details: 'The annual SOC 2 Type II audit covers all three products; the report is available under NDA.',
    products: ['Aurora Vault', 'Aurora Relay'],
    standing: 'confirmed',
    effectiveDate: '2026-03-01',
  },
  {
    key: 'crm',
    statement: 'Native Salesforce and HubSpot integrations',
    details: 'Relay ships bidirectional connectors for Salesforce and HubSpot without middleware.',
    products: ['Aurora Relay'],
    standing: 'confirmed',
    effectiveDate: '2026-02-01',
  },
  {
    key: 'free-migration',
    statement: 'Free migration from legacy suites',
    details: 'Customers switching from a competing suite get their migration done by our services team at no cost.',
    products: ['Aurora Pulse', 'Aurora Relay'],
    standing: 'retracted',
    standingReason: 'Services capacity is booked through Q2; the free-migration offer ended on 31 October.',
    effectiveDate: '2026-11-01',
  },
];

export type Kind = 'deck' | 'one_pager' | 'battlecard' | 'case_study' | 'pricing_sheet' | 'email_template' | 'talk_track' | 'video';
export type Stage = 'awareness' | 'consideration' | 'decision' | 'expansion';

export interface DemoCollateral {
  title: string;
  kind: Kind;
  summary: string;
  body: string;
  products: string[];
  personas: string[];
  regions: string[];
  funnelStage: Stage;
  claims: string[];
  standing?: Standing;
  standingReason?: string;
  nowTrue?: string;
  replacedBy?: string;
  reviewBy: string;
  ownerEmail?: string;
}

const ALL_REGIONS = REGIONS;

export const COLLATERAL: DemoCollateral[] = [
  {
    title: 'Aurora Suite launch deck 2026',
    kind: 'deck',
    summary: 'The 2026 launch story for the whole suite: vision, roadmap, the Q4 campaign and why now.',
    body: '## Why now\nFinance, operations and IT teams run on three disconnected tools. Aurora connects them.\n\n## What is new\n- Two new capabilities in Aurora Pulse: scenario forecasting and ledger sync.\n- Relay connectors for Salesforce and HubSpot.\n\n## Awareness\nCable spots in 12 selected markets support the launch from October.',
    products: ['Aurora Pulse', 'Aurora Relay', 'Aurora Vault'],
    personas: ['CFO', 'IT Director'],
    regions: ALL_REGIONS,
    funnelStage: 'awareness',
    claims: ['tv', 'two-products', 'uptime'],
    standing: 'scaled_back',
    standingReason: 'The deck promised national TV and two new products; both claims were scaled back.',
    nowTrue: 'Cable spots in 12 markets; two new Pulse features, not new products.',
    reviewBy: '2026-12-15',
  },
  {
    title: 'Q4 campaign one-pager for partners',
    kind: 'one_pager',
    summary: 'What partners can expect from the Q4 awareness campaign and how to ride it in their territory.',
    body: 'The Q4 campaign runs late-night cable spots in 12 selected markets from October to December.\n\nPartners in those markets get co-branded landing pages and a lead-sharing agreement. Outside them, use the digital toolkit.',
    products: ['Aurora Pulse', 'Aurora Relay'],
    personas: ['Operations Manager'],
    regions: ['North America'],
    funnelStage: 'awareness',
    claims: ['tv'],
    reviewBy: '2027-01-31',
  },
  {
    title: 'Aurora Pulse product overview',
    kind: 'one_pager',
    summary: 'Revenue analytics and forecasting in one page: who it is for, what it replaces, what it costs.',
    body: 'Aurora Pulse gives finance teams a live revenue picture.\n\n- Scenario forecasting (new in Q3)\n- Ledger sync with the general ledger (new in Q3)\n- 40 pre-built board reports\n\nTypical payback: under six months.',
    products: ['Aurora Pulse'],
    personas: ['CFO'],
    regions: ALL_REGIONS,
    funnelStage: 'consideration',
    claims: ['two-products', 'uptime'],
    reviewBy: '2027-03-01',
  },
  {
    title: 'Battlecard: Aurora Pulse vs. Clearmetric',
    kind: 'battlecard',
    summary: 'Where Pulse wins against Clearmetric, where it loses, and the landmines to plant early.',
    body: '## Where we win\nForecast accuracy, ledger sync, time to value.\n\n## Where we lose\nClearmetric has deeper Excel round-tripping.\n\n## Landmines\nAsk how they reconcile forecasts with the ledger today.',
    products: ['Aurora Pulse'],
    personas: ['CFO', 'Procurement Lead'],
    regions: ['North America', 'EMEA'],
    funnelStage: 'decision',
    claims: ['uptime'],
    reviewBy: '2027-01-15',
  },
  {
    title: 'Battlecard: Aurora Relay vs. Flowbridge',
    kind: 'battlecard',
    summary: 'Relay against Flowbridge: native CRM connectors, pricing traps and how to handle the "we already have Zapier" objection.',
    body: '## Why Relay\nNative Salesforce and HubSpot connectors, no middleware.\n\n## Objections\n"We already have Zapier": Relay keeps an audit trail and retries; Zapier does not for multi-step flows.',
    products: ['Aurora Relay'],
    personas: ['IT Director', 'Operations Manager'],
    regions: ALL_REGIONS,
    funnelStage: 'decision',
    claims: ['crm', 'soc2'],
    reviewBy: '2027-02-01',
  },
  {
    title: 'Case study: Harbor Logistics cuts close time by 40 %',
    kind: 'case_study',
    summary: 'How a 900-person logistics company closed its books eight days faster with Pulse and Relay.',
    body: 'Harbor Logistics ran month-end close on spreadsheets. With Pulse and Relay the close went from 20 to 12 days.\n\n> "We stopped arguing about numbers and started planning." CFO, Harbor Logistics',
    products: ['Aurora Pulse', 'Aurora Relay'],
    personas: ['CFO', 'Operations Manager'],
    regions: ['North America'],
    funnelStage: 'consideration',
    claims: [],
    reviewBy: '2027-06-01',
  },
  {
    title: 'Case study: Nordlicht Bank secures 2 million documents',
    kind: 'case_study',
    summary: 'A regional bank in Germany moved its document governance to Vault and passed its BaFin audit.',
    body: 'Nordlicht Bank needed access governance across 2 million documents before its audit.\n\nVault classified the archive in three weeks and the audit passed with no findings.',
    products: ['Aurora Vault'],
    personas: ['IT Director'],
    regions: ['EMEA'],
    funnelStage: 'consideration',
    claims: ['soc2'],
    reviewBy: '2027-04-01',
  },
  {
    title: 'Pricing sheet 2026: Aurora Pulse',
    kind: 'pricing_sheet',
    summary: 'List prices, volume tiers and the discount guardrails for Pulse in 2026.',
    body: '| Tier | Seats | Price per seat / month |\n| --- | --- | --- |\n| Team | up to 25 | $49 |\n| Business | 26 to 250 | $39 |\n| Enterprise | 250+ | talk to deal desk |\n\nScenario forecasting and ledger sync are included in Business and Enterprise.',
    products: ['Aurora Pulse'],
    personas: ['Procurement Lead', 'CFO'],
    regions: ['North America', 'EMEA'],
    funnelStage: 'decision',
    claims: ['two-products'],
    reviewBy: '2026-12-31',
  },
  {
    title: 'Pricing sheet 2026: Aurora Relay',
    kind: 'pricing_sheet',
    summary: 'Relay pricing by connector bundle and monthly task volume.',
    body: 'Relay is priced by task volume: 10k tasks $300/month, 100k tasks $1,800/month. CRM connectors are included in every bundle.',
    products: ['Aurora Relay'],
    personas: ['Procurement Lead', 'IT Director'],
    regions: ALL_REGIONS,
    funnelStage: 'decision',
    claims: ['crm'],
    reviewBy: '2027-01-31',
  },
  {
    title: 'Free migration offer one-pager',
    kind: 'one_pager',
    summary: 'Our services team migrates customers from legacy suites at no cost.',
    body: 'Switching from a legacy suite? Our services team migrates your data, reports and workflows at no cost.',
    products: ['Aurora Pulse', 'Aurora Relay'],
    personas: ['CFO', 'Procurement Lead'],
    regions: ['North America', 'EMEA'],
    funnelStage: 'decision',
    claims: ['free-migration'],
    standing: 'retracted',
    standingReason: 'The free-migration offer ended on 31 October: services capacity is booked through Q2.',
    replacedBy: 'Migration services: packages and pricing',
    reviewBy: '2026-11-30',
  },
  {
    title: 'Migration services: packages and pricing',
    kind: 'pricing_sheet',
    summary: 'Fixed-price migration packages from legacy suites, replacing the free-migration offer.',
    body: 'Three fixed-price packages: Essentials ($4,900), Standard ($12,000), Complex (scoped). Each includes data mapping, report rebuild and a cut-over weekend.',
    products: ['Aurora Pulse', 'Aurora Relay'],
    personas: ['Procurement Lead', 'Operations Manager'],
    regions: ['North America', 'EMEA'],
    funnelStage: 'decision',
    claims: [],
    reviewBy: '2027-03-31',
  },
  {
    title: 'Email template: first touch for CFOs',
    kind: 'email_template',
    summary: 'A short first-touch email for CFOs with the close-time proof point.',
    body: 'Subject: Closing the books 8 days faster\n\nHi {{first_name}}, Harbor Logistics cut month-end close from 20 to 12 days with Aurora. Worth 20 minutes to see how?',
    products: ['Aurora Pulse'],
    personas: ['CFO'],
    regions: ALL_REGIONS,
    funnelStage: 'awareness',
    claims: [],
    reviewBy: '2027-05-01',
  },
  {
    title: 'Email template: follow-up after the TV campaign',
    kind: 'email_template',
    summary: 'Follow-up email that rides the Q4 campaign in the markets where the spots run.',
    body: 'Subject: Saw us on TV?\n\nHi {{first_name}}, you may have seen Aurora on late-night cable this month. Here is the two-minute version of what we do.',
    products: ['Aurora Pulse', 'Aurora Relay'],
    personas: ['Operations Manager'],
    regions: ['North America'],
    funnelStage: 'awareness',
    claims: ['tv'],
    reviewBy: '2026-12-31',
  },
  {
    title: 'Talk track: handling "is this secure?"',
    kind: 'talk_track',
    summary: 'How to answer security questions in the first call without overpromising.',
    body: 'Lead with the SOC 2 Type II report (under NDA), then data residency options (EU and US), then the 99.95 % uptime SLA. Never claim certifications we do not hold (no FedRAMP).',
    products: ['Aurora Vault', 'Aurora Relay'],
    personas: ['IT Director'],
    regions: ALL_REGIONS,
    funnelStage: 'consideration',
    claims: ['soc2', 'uptime'],
    reviewBy: '2027-02-15',
  },
  {
    title: 'Talk track: the Q3 launch, told truthfully',
    kind: 'talk_track',
    summary: 'What to say about the Q3 launch now that the two products became two Pulse features.',
    body: 'Say: "In Q3 we added scenario forecasting and ledger sync to Pulse." Do not say "two new products". Existing Pulse customers get both features at no extra cost on Business and Enterprise.',
    products: ['Aurora Pulse'],
    personas: ['CFO', 'Operations Manager'],
    regions: ALL_REGIONS,
    funnelStage: 'consideration',
    claims: ['two-products'],
    reviewBy: '2027-01-15',
  },
  {
    title: 'Aurora Vault security whitepaper',
    kind: 'deck',
    summary: 'Architecture, encryption, key management and audit trail of Aurora Vault for security reviews.',
    body: '## Encryption\nAES-256 at rest, TLS 1.3 in transit, customer-managed keys on Enterprise.\n\n## Audit trail\nEvery access is logged immutably for seven years.',
    products: ['Aurora Vault'],
    personas: ['IT Director'],
    regions: ALL_REGIONS,
    funnelStage: 'consideration',
    claims: ['soc2'],
    reviewBy: '2027-06-30',
  },
  {
    title: 'Relay connector catalogue',
    kind: 'one_pager',
    summary: 'Every connector Relay ships, with sync direction and the plan that includes it.',
    body: 'Salesforce (bidirectional), HubSpot (bidirectional), NetSuite (read), Zendesk (bidirectional), Slack (notify), Microsoft Teams (notify).',
    products: ['Aurora Relay'],
    personas: ['IT Director', 'Operations Manager'],
    regions: ALL_REGIONS,
    funnelStage: 'consideration',
    claims: ['crm'],
    reviewBy: '2027-03-15',
  },
  {
    title: 'Case study: Sol Andino Retail automates order-to-cash',
    kind: 'case_study',
    summary: 'A Chilean retailer connected HubSpot, its ERP and support with Relay and cut order errors by 60 %.',
    body: 'Sol Andino Retail processed orders by hand across three systems. Relay connected HubSpot, the ERP and Zendesk; order errors fell 60 % in two months.',
    products: ['Aurora Relay'],
    personas: ['Operations Manager'],
    regions: ['LATAM'],
    funnelStage: 'expansion',
    claims: ['crm'],
    reviewBy: '2027-05-15',
  },
  {
    title: 'Expansion deck: from Pulse to the full suite',
    kind: 'deck',
    summary: 'For existing Pulse customers: the case for adding Relay and Vault, with bundle pricing.',
    body: 'Customers on Pulse who add Relay save 15 % on the bundle. Adding Vault brings governance to the documents Pulse reports on.',
    products: ['Aurora Pulse', 'Aurora Relay', 'Aurora Vault'],
    personas: ['CFO', 'IT Director'],
    regions: ['North America', 'EMEA', 'APAC'],
    funnelStage: 'expansion',
    claims: ['uptime'],
    reviewBy: '2027-02-28',
  },
  {
    title: 'APAC partner program overview',
    kind: 'video',
    summary: 'A five-minute video for APAC resellers: margins, deal registration and the enablement path.',
    body: 'Resellers in APAC earn 20 % margin on new business and 10 % on renewals. Deal registration protects a deal for 90 days.',
    products: ['Aurora Pulse', 'Aurora Relay', 'Aurora Vault'],
    personas: ['Procurement Lead'],
    regions: ['APAC'],
    funnelStage: 'awareness',
    claims: [],
    reviewBy: '2027-04-30',
  },
];
