export * from './catalogue';
export * from './orders';
export * from './partners';
export * as aggregates from './registry';
export { type Aggregate, type DmsEvent, eventSchemas } from './registry';
export * from './shared/decider';
export * from './shared/errors';
export * from './shared/ids';
export * from './shared/money';
