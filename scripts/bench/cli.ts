import type { z } from 'zod';

/**
 * A benchmark's `--name value` options, checked by its zod schema; `flags` are options that take no
 * value (present = 'true'). A bad option prints what is wrong and the usage line, and exits 2.
 */
export function parseBenchOptions<S extends z.ZodType>(bench: string, schema: S, usage: string, opts: { flags?: string[]; argv?: string[] } = {}): z.infer<S> {
  const argv = opts.argv ?? process.argv.slice(2);
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]!);
    if (m && opts.flags?.includes(m[1]!)) raw[m[1]!] = 'true';
    else if (m && argv[i + 1] !== undefined) raw[m[1]!] = argv[++i]!;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    console.error(`${bench}: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return parsed.data;
}
