export * from './standing';
export * from './versions';
export * from './notices';
export * from './feedback';
export * from './health';
export * from './search';
export * from './admin-notices';
