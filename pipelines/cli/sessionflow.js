#!/usr/bin/env node
// The package ships TypeScript sources; tsx (a dependency) compiles them on load.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
