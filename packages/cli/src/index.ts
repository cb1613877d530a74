export { DEMO_END, planDemo, type SeedOptions, type SeedReport, seedDemo } from './demo/seed';
export { main } from './main';
