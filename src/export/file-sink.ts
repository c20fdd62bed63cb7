/**
 * A text file written in the background under `<path>.partial` and renamed into place on commit:
 * an interrupted export never leaves a file that looks complete.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

export interface TextSink {
  readonly path: string;
  write(s: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

const FLUSH_AT = 1 << 16;

export function openTextSink(path: string): TextSink {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  let failure: Error | null = null;
  stream.on('error', (err) => (failure = err));
  let buf = '';

  const flush = async () => {
    if (failure) throw failure;
    if (!buf) return;
    const chunk = buf;
    buf = '';
    // Respect backpressure so 100,000 reports never pile up in memory.
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  const end = async () => {
    await flush();
    stream.end();
    await once(stream, 'close');
    if (failure) throw failure;
  };

  return {
    path,
    async write(s) {
      buf += s;
      if (buf.length >= FLUSH_AT) await flush();
    },
    async commit() {
      await end();
      await rename(partial, path);
    },
    async abort() {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}
