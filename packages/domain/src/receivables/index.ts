export * from './credit-hold';
export * from './intents';
export * from './payment-terms';
export * from './policy';
export * from './terms';
