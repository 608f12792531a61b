/**
 * The analyzer's formatters produce plain text and let the caller decide
 * about colour: each role is a function from text to text. The CLI builds a
 * TextStyle from picocolors; everyone else gets `plainStyle`.
 */
export interface TextStyle {
  /** Section titles (like WinDbg's `BUGCHECK_CODE:` labels). */
  title(text: string): string;
  /** Field names and labels. */
  label(text: string): string;
  /** Values worth seeing at a glance (codes, names, the faulting module). */
  value(text: string): string;
  /** Addresses and offsets. */
  address(text: string): string;
  /** Secondary text (ASCII columns, filler markers). */
  dim(text: string): string;
  warning(text: string): string;
  error(text: string): string;
}

const identity = (text: string): string => text;

export const plainStyle: TextStyle = {
  title: identity,
  label: identity,
  value: identity,
  address: identity,
  dim: identity,
  warning: identity,
  error: identity,
};
