/**
 * The judge's verdict: per-code scores in [0, 1] with a justification, an overall score and a
 * performative-risk score. Only the requested codes are allowed, and all of them are required.
 */

import { z } from 'zod';
import type { Verdict } from '../../core/scorer.js';

const unit = z.number().min(0).max(1);

const codeVerdictSchema = z.object({
  score: unit,
  justification: z.string().min(1, 'justification must not be empty'),
});

/** The verdict schema for a given set of codes: exactly those codes, no others. */
export function verdictSchema(codes: readonly string[]) {
  const shape: Record<string, typeof codeVerdictSchema> = {};
  for (const code of codes) shape[code] = codeVerdictSchema;
  return z.object({
    codes: z.strictObject(shape),
    overall: unit,
    performativeRisk: unit,
  });
}

export type VerdictParse =
  | { ok: true; verdict: Verdict }
  /** `not_json`: no JSON object found in the text; `schema`: JSON that breaks the schema. */
  | { ok: false; kind: 'not_json' | 'schema'; message: string };

/**
 * Parses a verdict from the model's text: bare JSON, a fenced ```json block, or the outermost
 * `{...}` span. Never throws.
 */
export function parseVerdict(text: string, codes: readonly string[]): VerdictParse {
  const json = extractJson(text);
  if (json === undefined) {
    return {
      ok: false,
      kind: 'not_json',
      message: `no JSON object found in the judge's reply (starts: ${JSON.stringify(text.slice(0, 80))})`,
    };
  }
  const result = verdictSchema(codes).safeParse(json);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 8)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    return { ok: false, kind: 'schema', message: `verdict breaks the schema (expected codes ${codes.join(', ')}): ${issues}` };
  }
  return { ok: true, verdict: result.data };
}

function extractJson(text: string): unknown {
  const candidates: string[] = [text.trim()];
  const fence = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first !== -1 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}
