// Entry of a Parquet decode thread (see threaded-bar-loader.ts). The package ships TypeScript
// compiled on load by tsx, and on Node 20 a worker gets no module hooks from its parent (not
// even under `node --import tsx`, whose flag it inherits but does not apply), so register here.
import { register } from 'tsx/esm/api';

register();
await import('./decode-thread-main.ts');
