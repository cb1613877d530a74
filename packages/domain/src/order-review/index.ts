export * from './assess';
export * from './intents';
export * from './policy';
