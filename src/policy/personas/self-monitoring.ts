/** Persona strategies for self_monitoring (placeholder until the episode type lands). */
import type { TypeStrategies } from './index.js';

const notYet = (): never => {
  throw new Error('self_monitoring personas are not implemented yet');
};
export const selfMonitoringStrategies: TypeStrategies = { senior: notYet, mid: notYet, junior: notYet };
