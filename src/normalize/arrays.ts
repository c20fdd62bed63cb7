/**
 * Array helpers for the per-document path.
 *
 * `xs.map(f)` returns a packed array when it runs in the interpreter but a holey one once the
 * calling function is optimized (TurboFan's inlined map allocates the result at its length and
 * fills it in). The same array then reaches the functions that read it with two different maps,
 * and each of them is deoptimized and compiled again when the second one arrives: a cascade of
 * recompiles through the matcher and the solver over a thread's first few hundred documents.
 * `mapPacked` gives a packed array whoever calls it.
 *
 * Its result is a copy of `EMPTY`, not a `[]` literal. A literal has an allocation site, and every
 * optimized function that inlines mapPacked — most of the matcher — depends on that one site's
 * tenuring decision. During a thread's first document everything is still alive at the first
 * scavenge, so the site is marked "maybe tenure", and the first full GC once the young generation
 * has grown to its maximum deoptimizes all of those functions at once ("code dependencies").
 * A copy has no site, and is PACKED_ELEMENTS whatever it holds: one map for its readers.
 */
const EMPTY: unknown[] = [null];
EMPTY.length = 0;

/**
 * An empty array of the elements kind a list of objects has (a `[]` literal starts as a list of
 * small integers, and a reader optimized on full lists is deoptimized by it), with no allocation
 * site (see above).
 */
export function emptyPacked<T>(): T[] {
  return EMPTY.slice() as T[];
}

export function mapPacked<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out = emptyPacked<U>();
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i));
  return out;
}

/**
 * `xs.flatMap(f)` for callbacks that return arrays, packed whoever calls it: V8's flatMap gives a
 * holey array, which reached mapPacked with a map it had not seen and deoptimized it.
 */
export function flatMapPacked<T, U>(xs: readonly T[], f: (x: T) => readonly U[]): U[] {
  const out = emptyPacked<U>();
  for (let i = 0; i < xs.length; i++) {
    const ys = f(xs[i]!);
    for (let j = 0; j < ys.length; j++) out.push(ys[j]!);
  }
  return out;
}
