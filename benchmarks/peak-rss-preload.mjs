// Preloaded (`node --import`) by benchmarks/scale.bench.ts into the sessionflow process it
// times: at exit, the process's own peak resident memory (KiB) goes to the file named by
// SESSIONFLOW_PEAK_RSS_FILE (the benchmark cannot read a child's rusage from Node).
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.SESSIONFLOW_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
