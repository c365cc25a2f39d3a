/**
 * Assembles the WebAssembly kernels (src/model/kernels/*.wat) into TypeScript modules that carry
 * the binary as base64 (src/model/kernels/*-wasm.ts), so the product needs no assembler at run
 * time. Run after editing a .wat file: npx tsx scripts/build-kernels.ts. A test
 * (test/model/kernels.test.ts) fails when a committed binary is out of date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { assembleKernel, kernelModulePath, kernelModuleSource } from '../src/model/kernels/assemble.js';

const dir = new URL('../src/model/kernels/', import.meta.url);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const wat = readFileSync(new URL(file, dir), 'utf8');
  const binary = await assembleKernel(file, wat);
  const out = new URL(kernelModulePath(file), dir);
  writeFileSync(out, kernelModuleSource(file, binary));
  console.log(`${file} -> ${kernelModulePath(file)} (${binary.length} bytes)`);
}
