export * from './apply';
export * from './commands';
export * from './events';
export * from './policy';
export * from './promotion';
