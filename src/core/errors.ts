/** The errors Dojo reports to users (bad input, call order, configuration). Messages say how to fix the problem. */
export class DojoError extends Error {
  override name = 'DojoError';
}

/** A call made in the wrong order (step before reset, step after the episode ended). */
export class EnvOrderError extends DojoError {
  override name = 'EnvOrderError';
}

/** A configuration or option value that cannot be used. */
export class ConfigError extends DojoError {
  override name = 'ConfigError';
}

/** "Did you mean" suggestion for a mistyped name. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(input.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  const hint = bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? ` Did you mean "${best}"?` : '';
  return `${hint} Valid: ${candidates.join(', ')}.`;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}
