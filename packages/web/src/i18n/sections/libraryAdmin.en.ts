/**
 * The console's resource library messages that came after the first catalogue (changing who a resource is for): a section
 * loaded with that screen (`loadSection` in index.ts), so that no first screen carries them. Same rules as en.ts; zh-CN beside it.
 */
export const libraryAdmin = {
  changeTargeting: 'Change who it is for',
  targetingNamed: 'Who {{name}} is for',
  targetingChanged: 'Who {{name}} is for was changed',
  targetingEffect: 'Dealers no longer chosen stop seeing it; dealers newly chosen see it while it is published.',
};
