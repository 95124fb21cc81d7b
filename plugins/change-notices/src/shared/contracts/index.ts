export * from './standing';
export * from './health';
