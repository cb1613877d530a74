export * from './backorder-index';
export * from './commands';
export * from './plan';
export * from './policies';
export * from './returns';
