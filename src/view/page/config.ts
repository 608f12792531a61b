/** What the page is told by whoever wrote it (the HTML's inline config). */
export type ViewConfig =
  /** `bugcheck view --static`: the user picks a dump from disk; it is read in place (File slices). */
  | { mode: 'static' }
  /** `bugcheck view DUMP`: the local server serves the dump's bytes at `dumpUrl` (HTTP Range requests). */
  | { mode: 'served'; dumpUrl: string; name: string; size: number };

/** The global the HTML sets before the page's script runs. */
export const CONFIG_GLOBAL = '__BUGCHECK_VIEW__';
