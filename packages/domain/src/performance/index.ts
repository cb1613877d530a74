export * from './config';
export * from './facts';
export * from './goals';
export * from './kpis';
export * from './measure';
export * from './recommend';
export * from './scorecard';
