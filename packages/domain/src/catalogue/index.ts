export * from './commands';
export * from './events';
export * from './price-list';
export * from './product';
