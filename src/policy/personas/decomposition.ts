/** Persona strategies for decomposition (placeholder until the episode type lands). */
import type { TypeStrategies } from './index.js';

const notYet = (): never => {
  throw new Error('decomposition personas are not implemented yet');
};
export const decompositionStrategies: TypeStrategies = { senior: notYet, mid: notYet, junior: notYet };
