/**
 * The simulated team: 11 people with roles, seniority, skills and personas (the default single
 * team of `spec/curriculum.yaml`). Scripted members act through personas; the candidate takes one
 * developer seat.
 */

import type { Rng } from '../core/rng.js';
import type { Domain } from '../spec/episodes.js';

export const ROLES = ['dev_lead', 'qa_lead', 'product_owner', 'senior_dev', 'mid_dev', 'junior_dev', 'tester'] as const;
export type Role = (typeof ROLES)[number];

export const SENIORITY = ['junior', 'mid', 'senior'] as const;
export type Seniority = (typeof SENIORITY)[number];

/** Roles of the default team, in order (2 senior, 2 mid, 2 junior developers, 2 testers). */
export const DEFAULT_TEAM_ROLES: readonly Role[] = [
  'dev_lead',
  'qa_lead',
  'product_owner',
  'senior_dev',
  'senior_dev',
  'mid_dev',
  'mid_dev',
  'junior_dev',
  'junior_dev',
  'tester',
  'tester',
];

/** Product-owner personas and their chance of answering a specific question vaguely. */
export const PO_PERSONAS = { precise: 0.05, busy: 0.2, vague: 0.35 } as const;
export type PoPersona = keyof typeof PO_PERSONAS;

export interface TeamMember {
  id: string;
  name: string;
  role: Role;
  seniority: Seniority;
  /** Skill per domain, 0..1. */
  skills: Record<Domain, number>;
  /** For the product owner: answer style; for others: working style. */
  persona: string;
  /** Focus hours per sprint day. */
  hoursPerDay: number;
}

const NAMES = ['Ada', 'Ben', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jia', 'Kai', 'Lea', 'Milo', 'Noor', 'Omar', 'Pia'];
const WORK_STYLES = ['methodical', 'fast', 'collaborative', 'quiet'];

function seniorityOf(role: Role): Seniority {
  if (role === 'junior_dev') return 'junior';
  if (role === 'mid_dev' || role === 'tester') return 'mid';
  return 'senior';
}

export function generateTeam(rng: Rng, domains: readonly Domain[]): TeamMember[] {
  const names = rng.shuffle(NAMES);
  const base = { junior: 0.35, mid: 0.55, senior: 0.75 } as const;
  return DEFAULT_TEAM_ROLES.map((role, i) => {
    const seniority = seniorityOf(role);
    const skills = {} as Record<Domain, number>;
    for (const d of domains) skills[d] = Math.min(1, Math.max(0.05, Math.round((base[seniority] + rng.normal(0, 0.1)) * 100) / 100));
    const persona = role === 'product_owner' ? rng.pick(Object.keys(PO_PERSONAS)) : rng.pick(WORK_STYLES);
    return { id: `M-${i + 1}`, name: names[i] as string, role, seniority, skills, persona, hoursPerDay: role === 'product_owner' ? 3 : 6 };
  });
}
