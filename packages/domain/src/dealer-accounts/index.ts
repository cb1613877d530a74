export * from './account';
export * from './allocation';
export * from './commands';
export * from './events';
export * from './policy';
