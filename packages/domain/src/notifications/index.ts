export * from './notification';
export * from './rules';
