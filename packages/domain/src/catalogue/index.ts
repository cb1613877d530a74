export * from './commands';
export * from './dealer-price-list';
export * from './events';
export * from './price-list';
export * from './price-versions';
export * from './product';
