// Bridge until src/node/specs.ts lands: finds and loads specs by walking the file system
// (no git), as an untrusted workspace needs. Same contract as discoverSpecs(root, { useGit:
// false }) + loadSpecs(root, candidates).
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Spec } from '../../core/model';
import { detectSpecs } from '../../core/spec/detect';
import { parseSpec } from '../../core/spec/parse';

const SKIP = new Set(['.git', 'node_modules', '.vscode-test', 'dist', 'out', '.specgate']);
const MAX_FILES = 20000;
const MAX_DEPTH = 12;

async function markdownFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) await walk(p, depth + 1);
      } else if (e.isFile() && /\.(?:md|markdown)$/i.test(e.name)) out.push(p);
      if (out.length >= MAX_FILES) return;
    }
  };
  await walk('', 0);
  return out.sort();
}

export async function loadSpecsFromDisk(root: string): Promise<Spec[]> {
  const files = await markdownFiles(root);
  const heads = new Map<string, string>();
  await Promise.all(
    files.map(async (f) => {
      try {
        heads.set(f, (await readFile(path.join(root, f), 'utf8')).slice(0, 4096));
      } catch {
        // unreadable: not a spec
      }
    }),
  );
  const candidates = detectSpecs(files, (p) => /^---\r?\n[\s\S]*?^(?:scope|out_of_scope|protected):/m.test(heads.get(p) ?? ''));
  return Promise.all(
    candidates.map(async (c) => {
      const texts = await Promise.all(c.files.map(async (f) => ({ path: f, text: await readFile(path.join(root, f), 'utf8').catch(() => '') })));
      return parseSpec(c, texts);
    }),
  );
}
