// Entry of a Parquet decode thread when the sources run under tsx (development and tests; the
// compiled package starts decode-thread-main.js itself, see threaded-bar-loader.ts). On Node 20
// a worker gets no module hooks from its parent (not even under `node --import tsx`, whose
// flag it inherits but does not apply), so register here.
import { register } from 'tsx/esm/api';

register();
await import('./decode-thread-main.ts');
