/** Behavior codes scored on self_monitoring traces (placeholder: not written yet; every code not applicable). */
import type { TypeScorer } from './types.js';

export const scoreSelfMonitoring: TypeScorer = () => [];
