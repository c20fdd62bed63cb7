/**
 * pdf.js's legacy build (the one that runs on Node 20) carries core-js polyfills, and on Node 20
 * core-js replaces working natives with JavaScript versions for edge cases nobody here meets:
 * Array.prototype.push (lengths beyond 2^32), JSON.parse (source text access), JSON.stringify.
 * They are process-wide and 3× slower: every push and every JSON of the store, the matcher and
 * pdf.js itself would pay. Methods the polyfills *add* (Promise.withResolvers,
 * Uint8Array.fromBase64, …) are needed by pdf.js and stay; methods they *replace* are put back.
 */

const BUILTINS: object[] = [
  Array, Array.prototype, Object, Object.prototype, JSON, Math, Number, Number.prototype, String, String.prototype,
  Promise, Promise.prototype, Map, Map.prototype, Set, Set.prototype, WeakMap.prototype, RegExp.prototype,
  ArrayBuffer, ArrayBuffer.prototype, DataView.prototype, Uint8Array, Uint8Array.prototype,
  Object.getPrototypeOf(Uint8Array) as object, Object.getPrototypeOf(Uint8Array.prototype) as object, Function.prototype,
];

type Snapshot = [object, PropertyKey, PropertyDescriptor][];

function snapshot(): Snapshot {
  const out: Snapshot = [];
  for (const o of BUILTINS) {
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d && typeof d.value === 'function') out.push([o, key, d]);
    }
  }
  return out;
}

/** Run `load` (an import) and put back any built-in function it replaced. Returns what it restored. */
export async function keepingNatives<T>(load: () => Promise<T>): Promise<{ value: T; restored: string[] }> {
  const before = snapshot();
  try {
    return { value: await load(), restored: restore(before) };
  } catch (err) {
    restore(before);
    throw err;
  }
}

function restore(before: Snapshot): string[] {
  const restored: string[] = [];
  for (const [o, key, d] of before) {
    const now = Object.getOwnPropertyDescriptor(o, key);
    if (now && now.value !== d.value && now.configurable) {
      Object.defineProperty(o, key, d);
      restored.push(String(key));
    }
  }
  return restored;
}
