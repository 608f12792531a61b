import { z } from 'zod';
import { kernelSettingsSchema, type CrashDumpKind, type KernelSettingsInput } from '../kernel/index.js';
import { ScenarioError, ScenarioErrorCode } from './errors.js';
import { formatByteSize, parseByteSize } from './size.js';

/** The machine's own limits (src/machine checks them again); repeated here so the message can name the option. */
export const SCENARIO_MIN_MEMORY = 64n << 20n;
export const SCENARIO_MAX_MEMORY = 1n << 46n;
export const SCENARIO_MAX_PROCESSORS = 64;
/** Default RAM of a scenario machine: small enough that a complete dump stays modest. */
export const SCENARIO_DEFAULT_MEMORY = 256n << 20n;

export const CRASH_DUMP_KINDS: readonly CrashDumpKind[] = ['complete', 'kernel', 'small'];

const SIZE_EXPECTED = 'expected a size like "256MiB"';

const memorySize = z
  .union([z.string(), z.number(), z.bigint()], { errorMap: () => ({ message: SIZE_EXPECTED }) })
  .transform((value, ctx) => {
    const bytes = parseByteSize(value);
    if (bytes === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${SIZE_EXPECTED}, got ${JSON.stringify(typeof value === 'bigint' ? value.toString() : value)}`,
      });
      return z.NEVER;
    }
    if (bytes < SCENARIO_MIN_MEMORY || bytes > SCENARIO_MAX_MEMORY) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${formatByteSize(bytes)} is outside ${formatByteSize(SCENARIO_MIN_MEMORY)}..${formatByteSize(SCENARIO_MAX_MEMORY)}`,
      });
      return z.NEVER;
    }
    if (bytes % 4096n !== 0n) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${bytes} bytes is not a whole number of 4KiB pages` });
      return z.NEVER;
    }
    return bytes;
  });

const dumpKind = z.enum(['complete', 'kernel', 'small']);
const dumpKinds = z
  .union([dumpKind, z.literal('all'), z.array(dumpKind).min(1).max(3)], {
    errorMap: () => ({ message: 'expected "complete", "kernel", "small", "all" or a list of them' }),
  })
  .transform((value): CrashDumpKind[] =>
    value === 'all' ? [...CRASH_DUMP_KINDS] : Array.isArray(value) ? [...new Set(value)] : [value],
  );

/**
 * What a scenario may set. Everything is optional; unknown names are errors
 * (a typo must not silently fall back to a default). `dump.path` is not here:
 * where dumps go is the caller's decision (`--out`).
 */
export const scenarioOptionsSchema = z
  .object({
    /** Used for the dump file names (`<name>-<kind>.dmp`); default: the scenario file's name. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a file-name-safe name (letters, digits, . _ -, at most 64)')
      .optional(),
    description: z.string().max(1000).optional(),
    /** RAM of the machine: `"256MiB"`, `"1GiB"` or bytes. Default 256MiB. */
    memory: memorySize.optional(),
    processors: z.number().int().min(1).max(SCENARIO_MAX_PROCESSORS).optional(),
    /** Windows build number (dump header MinorVersion). */
    build: z.number().int().min(1).max(0xffff).optional(),
    /** NT_PRODUCT_TYPE: 1 workstation, 2 domain controller, 3 server. */
    productType: z
      .union([z.literal(1), z.literal(2), z.literal(3)], {
        errorMap: () => ({ message: 'expected 1, 2 or 3 (NT_PRODUCT_TYPE)' }),
      })
      .optional(),
    /** Seed of every random-looking choice of the machine (image bases, self-map index). */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    dump: z
      .object({
        /** Kinds to write, one fresh machine each; `--dump-type` overrides. Default "kernel". */
        kind: dumpKinds.optional(),
        /** false: crash dumps disabled (only the legacy callbacks run). */
        enabled: z.boolean().optional(),
        completeFormat: z.enum(['bitmap', 'runs']).optional(),
        ioChunkBytes: z.number().int().min(0x200).max(0x4000000).optional(),
        /** false: leave out bugcheck's own model-diagnostics block (default: written last). */
        modelDiagnostics: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Kernel settings other than the dump's (secondaryData, pages, triage, callbackOrder, dumpIoOffsets). */
    kernel: kernelSettingsSchema.omit({ dump: true }).optional(),
  })
  .strict();

export type ScenarioOptionsInput = z.input<typeof scenarioOptionsSchema>;

/** Options with the scenario defaults filled in (machine defaults stay the machine's). */
export interface ScenarioOptions {
  name: string | undefined;
  description: string | undefined;
  memoryBytes: bigint;
  processors: number | undefined;
  build: number | undefined;
  productType: number | undefined;
  seed: number | undefined;
  dump: {
    kinds: CrashDumpKind[];
    enabled: boolean;
    completeFormat: 'bitmap' | 'runs' | undefined;
    ioChunkBytes: number | undefined;
    modelDiagnostics: boolean | undefined;
  };
  kernel: Omit<KernelSettingsInput, 'dump'>;
}

/** The names a nested object of the schema knows, for "is not known" messages. */
function knownKeys(path: readonly (string | number)[]): string[] {
  let schema: z.ZodTypeAny = scenarioOptionsSchema;
  for (const key of [...path, null]) {
    for (;;) {
      if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault)
        schema = schema._def.innerType as z.ZodTypeAny;
      else if (schema instanceof z.ZodEffects) schema = schema.innerType() as z.ZodTypeAny;
      else break;
    }
    if (!(schema instanceof z.ZodObject)) return [];
    if (key === null) return Object.keys(schema.shape as Record<string, unknown>);
    const next = (schema.shape as Record<string, z.ZodTypeAny>)[String(key)];
    if (next === undefined) return [];
    schema = next;
  }
  return [];
}

function optionName(path: readonly (string | number)[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : p))
    .join('.')
    .replace(/\.\[/g, '[');
}

function lowerFirst(text: string): string {
  return text.length > 0 && /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** One message per zod issue, naming the option: `scenario option "memory": expected a size like "256MiB"`. */
export function describeOptionIssues(issues: readonly z.ZodIssue[]): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) {
        out.push(
          `scenario option "${optionName([...issue.path, key])}" is not known${known.length > 0 ? ` (known${issue.path.length > 0 ? ` in "${optionName(issue.path)}"` : ''}: ${known.join(', ')})` : ''}`,
        );
      }
      continue;
    }
    const where = issue.path.length > 0 ? `scenario option "${optionName(issue.path)}"` : 'scenario options';
    out.push(`${where}: ${lowerFirst(issue.message)}`);
  }
  return out;
}

/**
 * Validates a scenario's options. Throws ScenarioError E_SCENARIO_OPTIONS
 * whose message names every bad option; `details.issues` lists them.
 */
export function parseScenarioOptions(input: unknown): ScenarioOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new ScenarioError(
      ScenarioErrorCode.Options,
      `scenario options must be an object, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`,
    );
  }
  const parsed = scenarioOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = describeOptionIssues(parsed.error.issues);
    throw new ScenarioError(ScenarioErrorCode.Options, issues.join('; '), { issues });
  }
  const o = parsed.data;
  return {
    name: o.name,
    description: o.description,
    memoryBytes: o.memory ?? SCENARIO_DEFAULT_MEMORY,
    processors: o.processors,
    build: o.build,
    productType: o.productType,
    seed: o.seed,
    dump: {
      kinds: o.dump?.kind ?? ['kernel'],
      enabled: o.dump?.enabled ?? true,
      completeFormat: o.dump?.completeFormat,
      ioChunkBytes: o.dump?.ioChunkBytes,
      modelDiagnostics: o.dump?.modelDiagnostics,
    },
    kernel: o.kernel ?? {},
  };
}
