export * from './commands';
export * from './events';
export * from './sourcing';
export * from './warehouse';
