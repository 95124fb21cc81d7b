export * from './standing';
export * from './versions';
export * from './health';
