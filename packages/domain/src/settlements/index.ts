export * from './commands';
export * from './events';
export * from './periods';
export * from './policy';
export * from './statement';
