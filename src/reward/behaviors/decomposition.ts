/** Behavior codes scored on decomposition traces (placeholder: not written yet; every code not applicable). */
import type { TypeScorer } from './types.js';

export const scoreDecomposition: TypeScorer = () => [];
