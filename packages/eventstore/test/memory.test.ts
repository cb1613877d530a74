import { MemoryEventStore } from '../src/adapters/memory';
import { runConformanceSuite } from './conformance';

runConformanceSuite('memory', async () => {
  const store = new MemoryEventStore();
  return { store, teardown: () => store.close() };
});
