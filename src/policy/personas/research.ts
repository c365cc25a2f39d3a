/** Persona strategies for research (placeholder until the episode type lands). */
import type { TypeStrategies } from './index.js';

const notYet = (): never => {
  throw new Error('research personas are not implemented yet');
};
export const researchStrategies: TypeStrategies = { senior: notYet, mid: notYet, junior: notYet };
