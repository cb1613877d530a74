export * from './credit-hold';
export * from './payment-terms';
export * from './terms';
