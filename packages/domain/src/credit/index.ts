export * from './commands';
export * from './credit';
export * from './events';
export * from './policy';
