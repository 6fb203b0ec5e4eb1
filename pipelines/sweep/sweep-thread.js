// Entry of a sweep worker thread when the sources run under tsx (development and tests; the
// compiled package starts sweep-thread-main.js itself, see sweep.ts). On Node 20 a worker gets
// no module hooks from its parent, so register tsx here before importing the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
const entry = await import('./sweep-thread-main.ts');
export default entry.default;
