import * as vm from 'node:vm';

/**
 * Stops a routine that never returns. Node interrupts JavaScript (and a
 * WebAssembly loop inside a called host function) only at the edge of a
 * `vm` script run with a `timeout`; arming that costs tens of µs (a
 * watchdog thread), so the kernel does not arm it per call. It runs many
 * steps of a bug check phase inside one timed script run (a chunk) and
 * starts a new chunk whenever less than half the budget is left, so every
 * step starts with about half of it or more (the clock is read every step,
 * or every few steps while they take well under a 64th of the budget). When the timer fires, the step that
 * was running is the culprit; the phase resumes after it in a new chunk.
 *
 * A step is one routine call plus the kernel's work around it. A step may
 * hand back an action that must not be interrupted (writing a block to the
 * dump while DumpIo callbacks watch): the chunk ends, the action runs
 * outside any chunk, and the next chunk goes on.
 */
export type Deferred = () => void;

/** What a phase yields after each step: nothing, or an action to run outside the watchdog. */
export type PhaseStep = Deferred | undefined;

const FINISHED: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A phase whose steps are its entries, without a generator behind it: `step(i)` does entry i's work and
 * returns what the phase would yield after it, or an iterator of several steps (a multi-part record's
 * parts) that is run to its end before the next entry. `at.index` is set before each entry's work, as a
 * phase generator sets it. One result object for the whole phase (drive reads each before the next).
 */
export class EntrySteps implements Iterator<PhaseStep> {
  private readonly result: IteratorYieldResult<PhaseStep> = { done: false, value: undefined };
  private inner: Iterator<PhaseStep> | null = null;

  constructor(
    private index: number,
    private readonly end: number,
    private readonly at: { index: number },
    private readonly step: (index: number) => PhaseStep | Iterator<PhaseStep>,
  ) {}

  next(): IteratorResult<PhaseStep> {
    for (;;) {
      const inner = this.inner;
      if (inner !== null) {
        const r = inner.next();
        if (r.done !== true) return r;
        this.inner = null;
      }
      if (this.index >= this.end) return FINISHED;
      const i = this.index++;
      this.at.index = i;
      const s = this.step(i);
      if (typeof s === 'object') {
        this.inner = s;
        continue;
      }
      this.result.value = s;
      return this.result;
    }
  }
}

/** Most steps run between two reads of the clock while steps are fast. */
const MAX_STRIDE = 32;
const DONE = 0;
const ROTATE = 1;
const FLUSH = 2;

function isTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
  );
}

export class Watchdog {
  private readonly context = vm.createContext({ __step: undefined as (() => unknown) | undefined });
  private readonly script = new vm.Script('__step()', { filename: 'bugcheck-watchdog' });
  private active = false;
  /** Timed script runs made so far (each arms the timer once). */
  chunks = 0;

  /** `budgetMs` 0 turns the watchdog off: steps run directly, nothing is ever stopped. */
  constructor(readonly budgetMs: number) {}

  get enabled(): boolean {
    return this.budgetMs > 0;
  }

  /** A chunk is running: work started now is covered by its timer. */
  get inChunk(): boolean {
    return this.active;
  }

  /**
   * Runs `steps` to the end under the watchdog. 'timeout' when a step ran
   * past the budget: the iterator is then dead (its stack was unwound
   * without running any finally block) and the caller resumes with a new one.
   */
  drive(steps: Iterator<PhaseStep>): 'done' | 'timeout' {
    if (!this.enabled || this.active) {
      // Nested in a chunk (its timer covers this work) or no watchdog: run straight through.
      for (let r = steps.next(); !r.done; r = steps.next()) r.value?.();
      return 'done';
    }
    const half = this.budgetMs / 2;
    // Reading the clock costs about as much as a whole fast step, so while steps are fast it is read only every
    // `stride` steps (doubling up to MAX_STRIDE); as soon as one interval takes longer, it is read every step again.
    const fast = this.budgetMs / 64;
    let pending: Deferred | undefined;
    const body = (): number => {
      const start = performance.now();
      let last = start;
      let stride = 1;
      let due = 1;
      for (;;) {
        const r = steps.next();
        if (r.done) return DONE;
        if (r.value !== undefined) {
          pending = r.value;
          return FLUSH;
        }
        if (--due > 0) continue;
        const now = performance.now();
        if (now - start >= half) return ROTATE;
        stride = now - last < fast ? Math.min(stride * 2, MAX_STRIDE) : 1;
        due = stride;
        last = now;
      }
    };
    for (;;) {
      const outcome = this.timed(body);
      if (outcome === 'timeout') return 'timeout';
      if (outcome === DONE) return 'done';
      if (outcome === FLUSH) {
        const action = pending;
        pending = undefined;
        action?.();
      }
    }
  }

  /** One callable under the watchdog (its own chunk unless one is running). */
  call<T>(fn: () => T): { timedOut: false; value: T } | { timedOut: true } {
    if (!this.enabled || this.active) return { timedOut: false, value: fn() };
    let value: T | undefined;
    const outcome = this.timed(() => {
      value = fn();
      return DONE;
    });
    return outcome === 'timeout' ? { timedOut: true } : { timedOut: false, value: value as T };
  }

  private timed(body: () => number): number | 'timeout' {
    this.active = true;
    this.chunks++;
    this.context.__step = body;
    try {
      return this.script.runInContext(this.context, { timeout: this.budgetMs }) as number;
    } catch (error) {
      if (isTimeout(error)) return 'timeout';
      throw error;
    } finally {
      this.active = false;
      this.context.__step = undefined;
    }
  }
}
