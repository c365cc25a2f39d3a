/**
 * The compute engine: TensorFlow.js core with the WebAssembly backend (SIMD, measured as the only
 * fast engine that installs offline here) or the pure-JS cpu backend (20-25x slower, kept as the
 * reference the tests compare against).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export const BACKENDS = ['wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

let initialized: Backend | undefined;

/** Selects and initializes a backend once per process (idempotent). */
export async function initEngine(backend: Backend = 'wasm'): Promise<void> {
  if (initialized === backend) return;
  // The cpu backend prints an advertisement for tfjs-node on first use in Node; it is not wanted
  // in Dojo's output (tfjs-node does not install offline).
  tf.env().set('IS_TEST', true);
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`the TensorFlow.js ${backend} backend failed to initialize`);
  await tf.ready();
  initialized = backend;
}
