/**
 * `Buffer` for the browser bundle, as far as the analyzer's code the page
 * reaches uses it (`Buffer.from(bytes).toString('latin1' | 'hex')` in
 * src/analyze/bugdump.ts). esbuild injects it only where code names the
 * global `Buffer`; once src/analyze no longer uses Buffer nothing refers to it.
 */
function decoded(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'hex') return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

export const Buffer = {
  from(source: ArrayLike<number> | ArrayBufferLike, byteOffset?: number, length?: number) {
    const bytes =
      source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)
        ? new Uint8Array(source, byteOffset ?? 0, length)
        : Uint8Array.from(source as ArrayLike<number>);
    return { toString: (encoding = 'utf8') => decoded(bytes, encoding) };
  },
};
