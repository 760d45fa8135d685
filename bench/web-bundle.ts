/**
 * Sizes of the web front end's JavaScript, gzipped as the API sends it (web/dist, from Vite's manifest): what every
 * page loads first (the entry and its static imports), and what each page adds when first opened. The shop's first
 * page is the catalog: entry + catalog chunk (issue 13 aims at ≤ 300 KB). `npx tsx bench/web-bundle.ts` alone, or
 * in `make bench`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIST } from '../api/web-app';

interface Chunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export interface BundleSizes {
  /** gzipped KB of what every page loads first */
  initialKb: number;
  /** gzipped KB each page adds (by page chunk name), beyond the initial load */
  pages: { page: string; kb: number }[];
}

export function bundleSizes(dist = WEB_DIST): BundleSizes {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const gz = new Map<string, number>();
  const size = (key: string) => {
    const file = manifest[key]!.file;
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(path.join(dist, file))).length);
    return gz.get(file)!;
  };
  const closure = (key: string, into = new Set<string>()) => {
    if (into.has(key)) return into;
    into.add(key);
    for (const dep of manifest[key]?.imports ?? []) closure(dep, into);
    return into;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('no entry in the manifest: build the front end first (make web)');
  const initial = closure(entry);
  const kb = (keys: Iterable<string>) => Math.round([...keys].reduce((n, k) => n + size(k), 0) / 102.4) / 10;
  const pages = (manifest[entry]!.dynamicImports ?? []).map((key) => {
    const added = [...closure(key)].filter((k) => !initial.has(k));
    return { page: manifest[key]!.name ?? key, kb: kb(added) };
  });
  return { initialKb: kb(initial), pages };
}

export function printBundleSizes(sizes: BundleSizes): void {
  console.log('Web front end (JavaScript, gzipped)');
  console.log(`  loaded first by every page          ${sizes.initialKb.toFixed(1).padStart(7)} KB`);
  for (const p of sizes.pages) console.log(`  + ${p.page.padEnd(33)}${p.kb.toFixed(1).padStart(7)} KB`);
  const catalog = sizes.pages.find((p) => p.page === 'CatalogPage');
  if (catalog) {
    console.log(
      `  shop's first page (catalog)        ${(sizes.initialKb + catalog.kb).toFixed(1).padStart(7)} KB (aim ≤ 300)`,
    );
  }
}

if (require.main === module) printBundleSizes(bundleSizes());
