/** Persona strategies for implementation (placeholder until the episode type lands). */
import type { TypeStrategies } from './index.js';

const notYet = (): never => {
  throw new Error('implementation personas are not implemented yet');
};
export const implementationStrategies: TypeStrategies = { senior: notYet, mid: notYet, junior: notYet };
