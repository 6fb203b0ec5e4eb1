import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';

// Every ```ts block of README.md is a complete module that type-checks against the package's
// sources: each is written to its own file under .cache/readme-examples/ (gitignored,
// recreated on every run) next to a tsconfig that extends the repository's and maps the
// package's specifiers to the sources, and the TypeScript compiler checks them all at once.
// A README example that drifts from the API fails here, at its README line.

/** The package's entry points (package.json "exports") and the sources they are built from. */
const ENTRY_POINTS: Readonly<Record<string, string>> = {
  sessionflow: 'pipelines/index.ts',
  'sessionflow/lib': 'lib/index.ts',
  'sessionflow/operators': 'operators/index.ts',
  'sessionflow/pipelines': 'pipelines/index.ts',
  'sessionflow/indicators': 'lib/indicators/index.ts',
  'sessionflow/testing': 'pipelines/testing/index.ts',
};

const FOLDER = join(REPO_ROOT, '.cache', 'readme-examples');

interface Block {
  /** 1-based, in README order. */
  readonly index: number;
  /** README line of the block's first code line (the one after the fence). */
  readonly line: number;
  readonly code: string;
  readonly file: string;
}

/** The ```ts (or ```typescript) blocks of `markdown`, with the README line each starts on. */
function tsBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    if (open[2] === 'ts' || open[2] === 'typescript') {
      const index = blocks.length + 1;
      const code = lines.slice(i + 1, end).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
      blocks.push({ index, line: i + 2, code, file: `block-${String(index).padStart(2, '0')}.ts` });
    }
    i = end;
  }
  return blocks;
}

interface Ran {
  readonly code: number;
  readonly output: string;
}

/** Run the repository's TypeScript compiler to completion (no kill timeout: a busy machine is not a failure). */
function tsc(args: readonly string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), ...args], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

/** Compiler output with every `block-NN.ts(line,col)` replaced by where that is in README.md. */
function inReadme(output: string, blocks: readonly Block[]): string {
  const byFile = new Map(blocks.map((b) => [b.file, b]));
  return output.replace(/(?:[^\s(]*[\\/])?(block-\d+\.ts)\((\d+),(\d+)\)/g, (whole, file: string, line: string, column: string) => {
    const block = byFile.get(file);
    return block ? `README.md block ${block.index} (line ${block.line + Number(line) - 1}, column ${column})` : whole;
  });
}

test('README: every ```ts block is a complete module that type-checks against the package sources', async (t) => {
  t.timeout(5 * 60_000, 'tsc checks the examples and the sources they import');
  const blocks = tsBlocks(await readFile(join(REPO_ROOT, 'README.md'), 'utf8'));
  t.true(blocks.length >= 5, `expected at least a handful of \`\`\`ts blocks in README.md, found ${blocks.length}`);

  // Specifiers the paths below do not map would resolve to the package itself (its dist/,
  // possibly stale or absent) instead of the sources.
  for (const block of blocks) {
    for (const [, specifier] of block.code.matchAll(/\bfrom\s+'(sessionflow[^']*)'/g)) {
      t.true(specifier! in ENTRY_POINTS, `README.md block ${block.index} (line ${block.line}) imports '${specifier}', which is not a package entry point (${Object.keys(ENTRY_POINTS).join(', ')})`);
    }
  }

  await rm(FOLDER, { recursive: true, force: true });
  await mkdir(FOLDER, { recursive: true });
  // `export {}` keeps a block a module even without imports (its names then stay its own).
  await Promise.all(blocks.map((b) => writeFile(join(FOLDER, b.file), `${b.code}\nexport {};\n`)));
  const tsconfig = {
    extends: '../../tsconfig.json',
    compilerOptions: {
      noEmit: true,
      rootDir: '../..',
      paths: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([specifier, source]) => [specifier, [`../../${source}`]])),
    },
    include: ['*.ts'],
  };
  const project = join(FOLDER, 'tsconfig.json');
  await writeFile(project, `${JSON.stringify(tsconfig, null, 2)}\n`);

  const ran = await tsc(['-p', project, '--pretty', 'false']);
  t.is(ran.code, 0, `README examples do not type-check:\n${inReadme(ran.output, blocks)}`);
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, `-1`, `-2`, … for repeats. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n === 0 ? base : `${base}-${n}`);
  }
  return slugs;
}

test('README: every internal link (#anchor) points at a heading', async (t) => {
  const markdown = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const slugs = headingSlugs(markdown);
  const links = [...markdown.matchAll(/\]\(#([^)\s]+)\)/g)].map((m) => m[1]!);
  t.true(links.length > 0);
  t.deepEqual(links.filter((anchor) => !slugs.has(anchor)), [], 'links in README.md whose #anchor matches no heading');
});
