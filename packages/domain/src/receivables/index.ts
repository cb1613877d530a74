export * from './credit-hold';
export * from './terms';
