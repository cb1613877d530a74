export * from './backlog';
export * from './delivery';
export * from './fill-rate';
export * from './periods';
export * from './ratio';
export * from './receivables';
export * from './review-automation';
