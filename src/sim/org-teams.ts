/**
 * The organisation's teams: ids, the conventions each team works by (naming, testing, branching,
 * review, ...), the team record (domain, language, codebase, roster, knowledge areas), and the
 * generation of the initial teams from the organisation's seed (each team's draws keyed by its id;
 * conventions differ from every earlier team's in at least 3 aspects).
 */
import { Rng } from '../core/rng.js';
import { CODEBASES, type Codebase, DOMAINS, type Domain, LANGUAGES, type Language } from '../spec/episodes.js';
import { generateTeam, type Role, type TeamMember } from './team.js';
import { generateKnowledgeAreas, type KnowledgeArea } from './team-change.js';

export type TeamId = string;

export const CONVENTION_ASPECTS = [
  'naming',
  'testing',
  'branching',
  'review',
  'commit_messages',
  'error_handling',
  'documentation',
  'formatting',
] as const;
export type ConventionAspect = (typeof CONVENTION_ASPECTS)[number];
export type Conventions = Record<ConventionAspect, string>;

/** The values a team's convention can take, per aspect. */
export const CONVENTION_VALUES: Record<ConventionAspect, readonly string[]> = {
  naming: ['camelCase', 'snake_case', 'domain prefixes', 'verbose descriptive names'],
  testing: ['test-first', 'tests beside the code', 'integration tests only', 'property-based tests'],
  branching: ['trunk-based', 'feature branches', 'git-flow', 'short-lived branches with flags'],
  review: ['two approvals', 'one approval', 'pair-programmed, no review', 'owner approval per module'],
  commit_messages: ['conventional commits', 'ticket id first', 'free form', 'imperative summary + body'],
  error_handling: ['result types', 'exceptions', 'error codes', 'panic on invariant, result elsewhere'],
  documentation: ['ADRs', 'README per module', 'wiki', 'doc comments only'],
  formatting: ['formatter enforced in CI', 'editorconfig only', 'linter warnings', 'no enforcement'],
};

export interface Team {
  id: TeamId;
  name: string;
  domain: Domain;
  language: Language;
  codebase: Codebase;
  conventions: Conventions;
  /** Current roster: home members who have arrived and not left (borrowed-out members included). */
  members: TeamMember[];
  knowledgeAreas: KnowledgeArea[];
}

const TEAM_NAMES: Record<Domain, string> = {
  crud_api: 'Accounts API',
  data_pipeline: 'Data Platform',
  ml_service: 'ML Serving',
  frontend_spa: 'Web App',
  cli_tool: 'Developer Tools',
  library: 'Core Library',
  infrastructure: 'Platform Infrastructure',
};

/** First names of the people in the organisation (the initial rosters draw them, hires take unused ones). */
// biome-ignore format: a name table
export const PEOPLE: readonly string[] = [
  'Ada', 'Ben', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jia', 'Kai', 'Lea', 'Milo', 'Noor', 'Omar', 'Pia',
  'Quin', 'Rosa', 'Sami', 'Tara', 'Uma', 'Vik', 'Wen', 'Xavi', 'Yara', 'Zed', 'Alma', 'Bo', 'Cyra', 'Dev', 'Edda', 'Finn',
  'Gia', 'Hugo', 'Iris', 'Jon', 'Kira', 'Luca', 'Maya', 'Nils', 'Olga', 'Paz', 'Rhea', 'Sven', 'Tomi', 'Ugo', 'Vera', 'Wim',
];

/**
 * The organisation's initial teams, drawn from its seed: domains and languages (given, or drawn all
 * different), people's names, and each team's conventions, roster, codebase and knowledge areas.
 */
export function generateTeams(
  seed: number,
  count: number,
  domainsGiven: readonly Domain[] | undefined,
  languagesGiven: readonly Language[] | undefined,
  protectedRoles: readonly Role[],
): Team[] {
  const domains = domainsGiven ? [...domainsGiven] : Rng.seeded(seed, 'domains').sample(DOMAINS, count);
  const languages = languagesGiven ? [...languagesGiven] : Rng.seeded(seed, 'languages').sample(LANGUAGES, count);
  const names = Rng.seeded(seed, 'names').shuffle(PEOPLE);
  const teams: Team[] = [];
  for (let t = 0; t < count; t++) {
    const id = `T${t + 1}`;
    const domain = domains[t] as Domain;
    const teamRng = Rng.seeded(seed, 'team', id);
    const conventions = drawConventions(teamRng, teams);
    const members = generateTeam(teamRng.fork('members'), DOMAINS).map((m, i) => {
      // Why: people know their own team's domain better than the others (matters for borrowing).
      const skills = { ...m.skills, [domain]: Math.min(1, Math.round((m.skills[domain] + 0.15) * 100) / 100) };
      return { ...m, id: `${id}-M${i + 1}`, name: names[t * 11 + i] as string, skills };
    });
    teams.push({
      id,
      name: TEAM_NAMES[domain],
      domain,
      language: languages[t] as Language,
      codebase: teamRng.pick(CODEBASES),
      conventions,
      members,
      knowledgeAreas: generateKnowledgeAreas(Rng.seeded(seed, 'knowledge', id), id, domain, members, protectedRoles),
    });
  }
  return teams;
}

/** Draws conventions that differ from every earlier team's in at least 3 of the 8 aspects. */
function drawConventions(rng: Rng, earlier: readonly Team[]): Conventions {
  const conventions = {} as Conventions;
  for (const aspect of CONVENTION_ASPECTS) conventions[aspect] = rng.pick(CONVENTION_VALUES[aspect]);
  for (const other of earlier) {
    const same = CONVENTION_ASPECTS.filter((a) => conventions[a] === other.conventions[a]);
    const need = 3 - (CONVENTION_ASPECTS.length - same.length);
    for (const aspect of rng.sample(same, Math.max(0, need))) {
      const values = CONVENTION_VALUES[aspect].filter((v) => v !== other.conventions[aspect]);
      conventions[aspect] = rng.pick(values);
    }
  }
  return conventions;
}
