/** A positive whole number of milliseconds from the environment variable `name`, else undefined. */
export function envMs(name: string, env: Record<string, string | undefined> = process.env): number | undefined {
  const n = Number(env[name]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
