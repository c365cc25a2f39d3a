/** Behavior codes scored on elicitation traces (placeholder: not written yet; every code not applicable). */
import type { TypeScorer } from './types.js';

export const scoreElicitation: TypeScorer = () => [];
