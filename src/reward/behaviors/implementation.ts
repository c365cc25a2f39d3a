/** Behavior codes scored on implementation traces (placeholder: not written yet; every code not applicable). */
import type { TypeScorer } from './types.js';

export const scoreImplementation: TypeScorer = () => [];
