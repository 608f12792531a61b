/*
 * bugcheck's C runtime: linked into every C driver. The lowering step
 * (src/cdriver/lower.ts) calls these before each memory access and indirect
 * call of the driver's code; they are not instrumented themselves.
 *
 * A pointer is a kernel virtual address. An access whose bytes lie inside
 * this driver's memory window, on pages the machine maps as resident and
 * (for a store) writable, goes straight to the WebAssembly memory (that
 * memory IS those pages' storage). Every other access is performed by the
 * machine (translated, guarded, faulting): a load comes back through a bounce
 * slot, a store is written back by __bc_store_done.
 */

typedef unsigned long long bc_u64;
typedef unsigned int bc_u32;
typedef unsigned char bc_u8;

#define BC_PAGE_READ 1
#define BC_PAGE_WRITE 2

/* Filled in by the loader before any driver code runs. */
struct bc_control {
  bc_u64 WindowBase;  /* kernel VA of linear offset 0 (4 GiB aligned) */
  bc_u64 WindowBytes; /* size of the WebAssembly memory */
  bc_u64 PageTable;   /* VA of one byte per window page: BC_PAGE_* */
  bc_u64 PendingStore; /* nonzero while a bounced store waits for __bc_store_done */
};

struct bc_control __bc_control;

extern bc_u64 __bc_slow_load(bc_u64 address, bc_u32 bytes);
extern bc_u64 __bc_slow_store(bc_u64 address, bc_u32 bytes);
extern void __bc_flush_store(void);
extern void __bc_bad_function_pointer(bc_u64 pointer);

static inline int __bc_fast(bc_u64 address, bc_u32 bytes, bc_u8 need) {
  bc_u64 offset = address - __bc_control.WindowBase;
  if (offset >= __bc_control.WindowBytes || (offset & 0xfff) + bytes > 0x1000) return 0;
  return (((const volatile bc_u8 *)__bc_control.PageTable)[offset >> 12] & need) == need;
}

bc_u64 __bc_check_load(bc_u64 pointer, bc_u32 bytes, bc_u64 offset) {
  bc_u64 address = pointer + offset;
  if (__bc_fast(address, bytes, BC_PAGE_READ)) return address;
  return __bc_slow_load(address, bytes);
}

bc_u64 __bc_check_store(bc_u64 pointer, bc_u32 bytes, bc_u64 offset) {
  bc_u64 address = pointer + offset;
  if (__bc_fast(address, bytes, BC_PAGE_READ | BC_PAGE_WRITE)) return address;
  return __bc_slow_store(address, bytes);
}

void __bc_store_done(void) {
  if (__bc_control.PendingStore) __bc_flush_store();
}

bc_u64 __bc_check_fp(bc_u64 pointer) {
  if ((pointer >> 32) != (__bc_control.WindowBase >> 32)) __bc_bad_function_pointer(pointer);
  return pointer;
}
