export * from './commands';
export * from './plan';
export * from './policies';
