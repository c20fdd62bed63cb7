/**
 * Array helpers for the per-document path.
 *
 * `xs.map(f)` returns a packed array when it runs in the interpreter but a holey one once the
 * calling function is optimized (TurboFan's inlined map allocates the result at its length and
 * fills it in). The same array then reaches the functions that read it with two different maps,
 * and each of them is deoptimized and compiled again when the second one arrives: a cascade of
 * recompiles through the matcher and the solver over a thread's first few hundred documents.
 * `mapPacked` gives a packed array whoever calls it.
 */
export function mapPacked<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i));
  return out;
}
