export * from './credit-hold';
export * from './dunning';
export * from './intents';
export * from './payment-terms';
export * from './policy';
export * from './terms';
