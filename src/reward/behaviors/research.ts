/** Behavior codes scored on research traces (placeholder: not written yet; every code not applicable). */
import type { TypeScorer } from './types.js';

export const scoreResearch: TypeScorer = () => [];
