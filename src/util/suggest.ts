// "did you mean ...?" for unknown commands, options and config keys: the
// closest candidate by edit distance, counting a swap of two neighbouring
// letters as one edit (`vsm` -> `vms`), when it is close enough to be a typo.

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate `word` was most likely meant as, or undefined when none is
 * close: at most 1 edit for words of up to 4 letters, 2 up to 8, else 3, so
 * that short words do not "match" unrelated short names. A candidate that
 * starts with `word` (3+ letters, an abbreviation) also matches. Case is ignored.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (lc === w) return c;
    const dist = w.length >= 3 && lc.startsWith(w) ? 0.5 : editDistance(w, lc);
    if (dist <= limit && dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

/** "; did you mean 'x'?" for an error message, or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? "" : `; did you mean '${s}'?`;
}
