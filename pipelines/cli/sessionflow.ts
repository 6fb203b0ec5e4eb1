#!/usr/bin/env node
// The `sessionflow` bin: compiled to dist/pipelines/cli/sessionflow.js for the package;
// `node --import tsx pipelines/cli/sessionflow.ts` runs it from the sources.
import { main } from './main.ts';

process.exitCode = await main(process.argv);
