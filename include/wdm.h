/*
 * wdm.h — bugcheck's kernel-mode driver header (x64 layouts).
 *
 * Written for bugcheck from the public Windows Driver Kit documentation: the
 * bug check callback facility (all six reasons, both record kinds, the triage
 * data array), pool, IRQL and spin locks, interlocked operations, time and
 * processor queries, memory-manager queries, mapped I/O space, debug output
 * and the driver object — what a bug check callback driver uses. Every
 * function declared here is served by bugcheck's simulated kernel; see
 * src/kernel/services/README.md for each one's IRQL rule.
 */
#ifndef _WDMDDK_
#define _WDMDDK_
#define _WDM_INCLUDED_

#include <ntdef.h>

/* ---- IRQL ---- */
#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define CMCI_LEVEL 5
#define CLOCK_LEVEL 13
#define IPI_LEVEL 14
#define DRS_LEVEL 14
#define POWER_LEVEL 14
#define PROFILE_LEVEL 15
#define HIGH_LEVEL 15

NTKERNELAPI KIRQL NTAPI KeGetCurrentIrql(void);
NTKERNELAPI KIRQL NTAPI KfRaiseIrql(KIRQL NewIrql);
NTKERNELAPI VOID NTAPI KeLowerIrql(KIRQL NewIrql);
NTKERNELAPI KIRQL NTAPI KeRaiseIrqlToDpcLevel(void);
#define KeRaiseIrql(NewIrql, OldIrql) (*(OldIrql) = KfRaiseIrql(NewIrql))

/* ---- spin locks ---- */
typedef struct _KSPIN_LOCK_QUEUE {
  struct _KSPIN_LOCK_QUEUE *volatile Next;
  PKSPIN_LOCK volatile Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

typedef struct _KLOCK_QUEUE_HANDLE {
  KSPIN_LOCK_QUEUE LockQueue;
  KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

NTKERNELAPI VOID NTAPI KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
NTKERNELAPI KIRQL NTAPI KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
NTKERNELAPI VOID NTAPI KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI BOOLEAN NTAPI KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID NTAPI KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
#define KeAcquireSpinLock(SpinLock, OldIrql) (*(OldIrql) = KeAcquireSpinLockRaiseToDpc(SpinLock))

/* ---- interlocked operations (one simulated processor runs at a time: plain read-modify-write) ---- */
FORCEINLINE LONG InterlockedIncrement(LONG volatile *Addend) { return ++*Addend; }
FORCEINLINE LONG InterlockedDecrement(LONG volatile *Addend) { return --*Addend; }
FORCEINLINE LONG InterlockedExchange(LONG volatile *Target, LONG Value) {
  LONG old = *Target;
  *Target = Value;
  return old;
}
FORCEINLINE LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value) {
  LONG old = *Addend;
  *Addend = old + Value;
  return old;
}
FORCEINLINE LONG InterlockedAdd(LONG volatile *Addend, LONG Value) { return *Addend += Value; }
FORCEINLINE LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comperand) {
  LONG old = *Destination;
  if (old == Comperand) *Destination = Exchange;
  return old;
}
FORCEINLINE LONG InterlockedOr(LONG volatile *Destination, LONG Value) {
  LONG old = *Destination;
  *Destination = old | Value;
  return old;
}
FORCEINLINE LONG InterlockedAnd(LONG volatile *Destination, LONG Value) {
  LONG old = *Destination;
  *Destination = old & Value;
  return old;
}
FORCEINLINE LONG InterlockedXor(LONG volatile *Destination, LONG Value) {
  LONG old = *Destination;
  *Destination = old ^ Value;
  return old;
}
FORCEINLINE LONG64 InterlockedIncrement64(LONG64 volatile *Addend) { return ++*Addend; }
FORCEINLINE LONG64 InterlockedDecrement64(LONG64 volatile *Addend) { return --*Addend; }
FORCEINLINE LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value) {
  LONG64 old = *Target;
  *Target = Value;
  return old;
}
FORCEINLINE LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value) {
  LONG64 old = *Addend;
  *Addend = old + Value;
  return old;
}
FORCEINLINE LONG64 InterlockedAdd64(LONG64 volatile *Addend, LONG64 Value) { return *Addend += Value; }
FORCEINLINE LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange, LONG64 Comperand) {
  LONG64 old = *Destination;
  if (old == Comperand) *Destination = Exchange;
  return old;
}
FORCEINLINE LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value) {
  LONG64 old = *Destination;
  *Destination = old | Value;
  return old;
}
FORCEINLINE LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value) {
  LONG64 old = *Destination;
  *Destination = old & Value;
  return old;
}
FORCEINLINE PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value) {
  PVOID old = *Target;
  *Target = Value;
  return old;
}
FORCEINLINE PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange, PVOID Comperand) {
  PVOID old = *Destination;
  if (old == Comperand) *Destination = Exchange;
  return old;
}
#define InterlockedIncrementAcquire InterlockedIncrement
#define InterlockedIncrementRelease InterlockedIncrement
#define InterlockedDecrementAcquire InterlockedDecrement
#define InterlockedDecrementRelease InterlockedDecrement
#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedExchangeAddSizeT(a, b) ((SIZE_T)InterlockedExchangeAdd64((LONG64 volatile *)(a), (LONG64)(b)))
#define InterlockedIncrementSizeT(a) ((SIZE_T)InterlockedIncrement64((LONG64 volatile *)(a)))
#define InterlockedDecrementSizeT(a) ((SIZE_T)InterlockedDecrement64((LONG64 volatile *)(a)))
#define KeMemoryBarrier() __asm__ __volatile__("" ::: "memory")
#define KeMemoryBarrierWithoutFence() __asm__ __volatile__("" ::: "memory")
#define MemoryBarrier KeMemoryBarrier
#define YieldProcessor() ((void)0)

/* ---- pool ---- */
#define POOL_FLAG_REQUIRED_START 0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA 0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_SESSION 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED 0x0000000000000008ULL
#define POOL_FLAG_RAISE_ON_FAILURE 0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE 0x0000000000000080ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL
#define POOL_FLAG_REQUIRED_END 0x0000000080000000ULL

typedef enum _POOL_TYPE {
  NonPagedPool = 0,
  NonPagedPoolExecute = 0,
  PagedPool = 1,
  NonPagedPoolMustSucceed = 2,
  DontUseThisType = 3,
  NonPagedPoolCacheAligned = 4,
  PagedPoolCacheAligned = 5,
  NonPagedPoolCacheAlignedMustS = 6,
  MaxPoolType = 7,
  NonPagedPoolBase = 0,
  NonPagedPoolBaseMustSucceed = 2,
  NonPagedPoolBaseCacheAligned = 4,
  NonPagedPoolBaseCacheAlignedMustS = 6,
  NonPagedPoolSession = 32,
  PagedPoolSession = 33,
  NonPagedPoolNx = 512,
  NonPagedPoolNxCacheAligned = 516,
  NonPagedPoolSessionNx = 544
} POOL_TYPE;

NTKERNELAPI PVOID NTAPI ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI PVOID NTAPI ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag);
NTKERNELAPI VOID NTAPI ExFreePool(PVOID P);

/* ---- memory ---- */
void *memcpy(void *Destination, const void *Source, __SIZE_TYPE__ Length);
void *memmove(void *Destination, const void *Source, __SIZE_TYPE__ Length);
void *memset(void *Destination, int Fill, __SIZE_TYPE__ Length);
int memcmp(const void *Buffer1, const void *Buffer2, __SIZE_TYPE__ Length);
__SIZE_TYPE__ strlen(const char *String);
__SIZE_TYPE__ wcslen(const WCHAR *String);
NTSYSAPI SIZE_T NTAPI RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length);

#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlEqualMemory(Destination, Source, Length) (!memcmp((Destination), (Source), (Length)))
#define RtlSecureZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlCopyBytes RtlCopyMemory
#define RtlZeroBytes RtlZeroMemory
#define RtlFillBytes RtlFillMemory

FORCEINLINE VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString) {
  SIZE_T length = 0;
  if (SourceString)
    while (SourceString[length]) length++;
  DestinationString->Length = (USHORT)(length * sizeof(WCHAR));
  DestinationString->MaximumLength = (USHORT)(SourceString ? (length + 1) * sizeof(WCHAR) : 0);
  DestinationString->Buffer = (PWCH)SourceString;
}

FORCEINLINE VOID RtlInitAnsiString(PANSI_STRING DestinationString, PCSTR SourceString) {
  SIZE_T length = 0;
  if (SourceString)
    while (SourceString[length]) length++;
  DestinationString->Length = (USHORT)length;
  DestinationString->MaximumLength = (USHORT)(SourceString ? length + 1 : 0);
  DestinationString->Buffer = (PCHAR)SourceString;
}
#define RtlInitString RtlInitAnsiString

/* ---- pages ---- */
#define PAGE_SIZE 0x1000
#define PAGE_SHIFT 12L
#define BYTE_OFFSET(Va) ((ULONG)((LONG_PTR)(Va) & (PAGE_SIZE - 1)))
#define PAGE_ALIGN(Va) ((PVOID)((ULONG_PTR)(Va) & ~(PAGE_SIZE - 1)))
#define BYTES_TO_PAGES(Size) (((Size) >> PAGE_SHIFT) + (((Size) & (PAGE_SIZE - 1)) != 0))
#define ROUND_TO_PAGES(Size) (((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, Size)                                                                        \
  ((BYTE_OFFSET(Va) == 0) ? BYTES_TO_PAGES(Size) : (((BYTE_OFFSET(Va) + (Size)) + PAGE_SIZE - 1) >> PAGE_SHIFT))

/* ---- memory manager ---- */
typedef enum _MEMORY_CACHING_TYPE {
  MmNonCached = 0,
  MmCached = 1,
  MmWriteCombined = 2,
  MmHardwareCoherentCached = 3,
  MmNonCachedUnordered = 4,
  MmUSWCCached = 5,
  MmMaximumCacheType = 6,
  MmNotMapped = -1
} MEMORY_CACHING_TYPE;

#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_WRITECOPY 0x08
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_NOCACHE 0x200
#define PAGE_WRITECOMBINE 0x400

NTKERNELAPI BOOLEAN NTAPI MmIsAddressValid(PVOID VirtualAddress);
NTKERNELAPI VOID NTAPI MmUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes);
/* Served as 64-bit values: PHYSICAL_ADDRESS travels by value in C. */
ULONGLONG NTAPI __bc_MmGetPhysicalAddress(PVOID BaseAddress);
PVOID NTAPI __bc_MmMapIoSpaceEx(ULONGLONG PhysicalAddress, SIZE_T NumberOfBytes, ULONG Protect);
FORCEINLINE PHYSICAL_ADDRESS MmGetPhysicalAddress(PVOID BaseAddress) {
  PHYSICAL_ADDRESS pa;
  pa.QuadPart = (LONGLONG)__bc_MmGetPhysicalAddress(BaseAddress);
  return pa;
}
FORCEINLINE PVOID MmMapIoSpaceEx(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes, ULONG Protect) {
  return __bc_MmMapIoSpaceEx((ULONGLONG)PhysicalAddress.QuadPart, NumberOfBytes, Protect);
}
FORCEINLINE PVOID MmMapIoSpace(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes, MEMORY_CACHING_TYPE CacheType) {
  return __bc_MmMapIoSpaceEx((ULONGLONG)PhysicalAddress.QuadPart, NumberOfBytes,
                             CacheType == MmCached ? PAGE_READWRITE : PAGE_READWRITE | PAGE_NOCACHE);
}

/* ---- device registers (HAL) ---- */
FORCEINLINE UCHAR READ_REGISTER_UCHAR(volatile UCHAR *Register) { return *Register; }
FORCEINLINE USHORT READ_REGISTER_USHORT(volatile USHORT *Register) { return *Register; }
FORCEINLINE ULONG READ_REGISTER_ULONG(volatile ULONG *Register) { return *Register; }
FORCEINLINE ULONG64 READ_REGISTER_ULONG64(volatile ULONG64 *Register) { return *Register; }
FORCEINLINE VOID WRITE_REGISTER_UCHAR(volatile UCHAR *Register, UCHAR Value) { *Register = Value; }
FORCEINLINE VOID WRITE_REGISTER_USHORT(volatile USHORT *Register, USHORT Value) { *Register = Value; }
FORCEINLINE VOID WRITE_REGISTER_ULONG(volatile ULONG *Register, ULONG Value) { *Register = Value; }
FORCEINLINE VOID WRITE_REGISTER_ULONG64(volatile ULONG64 *Register, ULONG64 Value) { *Register = Value; }

/* ---- time and processors ---- */
typedef struct _PROCESSOR_NUMBER {
  USHORT Group;
  UCHAR Number;
  UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;
#define ALL_PROCESSOR_GROUPS 0xffff

NTKERNELAPI VOID NTAPI KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
NTKERNELAPI VOID NTAPI KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
NTKERNELAPI VOID NTAPI KeQueryTickCount(PLARGE_INTEGER CurrentCount);
NTKERNELAPI ULONG NTAPI KeQueryTimeIncrement(void);
NTKERNELAPI ULONGLONG NTAPI KeQueryInterruptTime(void);
LONGLONG NTAPI __bc_KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);
FORCEINLINE LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency) {
  LARGE_INTEGER counter;
  counter.QuadPart = __bc_KeQueryPerformanceCounter(PerformanceFrequency);
  return counter;
}
NTKERNELAPI ULONG NTAPI KeGetCurrentProcessorNumber(void);
NTKERNELAPI ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);
NTKERNELAPI ULONG NTAPI KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors);
NTKERNELAPI ULONG NTAPI KeQueryActiveProcessorCountEx(USHORT GroupNumber);
#define KeGetCurrentProcessorIndex KeGetCurrentProcessorNumber

/* ---- debug output ---- */
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define DPFLTR_MASK 0x80000000

typedef enum _DPFLTR_TYPE {
  DPFLTR_SYSTEM_ID = 0,
  DPFLTR_CRASHDUMP_ID = 5,
  DPFLTR_DISK_ID = 9,
  DPFLTR_PCI_ID = 66,
  DPFLTR_IHVDRIVER_ID = 77,
  DPFLTR_IHVVIDEO_ID = 78,
  DPFLTR_IHVAUDIO_ID = 79,
  DPFLTR_IHVNETWORK_ID = 80,
  DPFLTR_IHVSTREAMING_ID = 81,
  DPFLTR_IHVBUS_ID = 82,
  DPFLTR_STORPORT_ID = 89,
  DPFLTR_STORMINIPORT_ID = 90,
  DPFLTR_VERIFIER_ID = 93,
  DPFLTR_DEFAULT_ID = 101,
  DPFLTR_MM_ID = 102,
  DPFLTR_NDIS_ID = 120,
  DPFLTR_ENDOFTABLE_ID = 157
} DPFLTR_TYPE;

NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);
NTSYSAPI ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
NTSYSAPI ULONG NTAPI vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist);
NTSYSAPI ULONG NTAPI vDbgPrintExWithPrefix(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format,
                                           va_list arglist);
#define KdPrint(_x_) DbgPrint _x_
#define KdPrintEx(_x_) DbgPrintEx _x_
#define vKdPrintEx(_x_) vDbgPrintEx _x_
#ifndef DBG
#define DBG 0
#endif
#define ASSERT(exp) ((void)0)
#define ASSERTMSG(msg, exp) ((void)0)
#define NT_ASSERT(exp) ((void)0)
#define NT_VERIFY(exp) ((exp) ? TRUE : FALSE)

/* ---- bug checks ---- */
#define IRQL_NOT_LESS_OR_EQUAL 0x0000000A
#define KMODE_EXCEPTION_NOT_HANDLED 0x0000001E
#define PAGE_FAULT_IN_NONPAGED_AREA 0x00000050
#define KERNEL_MODE_EXCEPTION_NOT_HANDLED 0x0000008E
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL 0x000000D1
#define BAD_POOL_CALLER 0x000000C2
#define DRIVER_VERIFIER_DETECTED_VIOLATION 0x000000C4
#define MANUALLY_INITIATED_CRASH 0x000000E2
#define MANUALLY_INITIATED_CRASH1 0xDEADDEAD

DECLSPEC_NORETURN NTKERNELAPI VOID NTAPI KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
                                                      ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
                                                      ULONG_PTR BugCheckParameter4);
DECLSPEC_NORETURN NTKERNELAPI VOID NTAPI KeBugCheck(ULONG BugCheckCode);

/* ---- bug check callbacks ---- */
typedef enum _KBUGCHECK_CALLBACK_REASON {
  KbCallbackInvalid,
  KbCallbackReserved1,
  KbCallbackSecondaryDumpData,
  KbCallbackDumpIo,
  KbCallbackAddPages,
  KbCallbackSecondaryMultiPartDumpData,
  KbCallbackRemovePages,
  KbCallbackTriageDumpData
} KBUGCHECK_CALLBACK_REASON;

typedef enum _KBUGCHECK_BUFFER_DUMP_STATE {
  BufferEmpty,
  BufferInserted,
  BufferStarted,
  BufferFinished,
  BufferIncomplete
} KBUGCHECK_BUFFER_DUMP_STATE;

struct _KBUGCHECK_REASON_CALLBACK_RECORD;

typedef VOID KBUGCHECK_REASON_CALLBACK_ROUTINE(KBUGCHECK_CALLBACK_REASON Reason,
                                               struct _KBUGCHECK_REASON_CALLBACK_RECORD *Record,
                                               PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength);
typedef KBUGCHECK_REASON_CALLBACK_ROUTINE *PKBUGCHECK_REASON_CALLBACK_ROUTINE;

typedef struct _KBUGCHECK_REASON_CALLBACK_RECORD {
  LIST_ENTRY Entry;
  PKBUGCHECK_REASON_CALLBACK_ROUTINE CallbackRoutine;
  PUCHAR Component;
  ULONG_PTR Checksum;
  KBUGCHECK_CALLBACK_REASON Reason;
  UCHAR State;
} KBUGCHECK_REASON_CALLBACK_RECORD, *PKBUGCHECK_REASON_CALLBACK_RECORD;

typedef VOID KBUGCHECK_CALLBACK_ROUTINE(PVOID Buffer, ULONG Length);
typedef KBUGCHECK_CALLBACK_ROUTINE *PKBUGCHECK_CALLBACK_ROUTINE;

typedef struct _KBUGCHECK_CALLBACK_RECORD {
  LIST_ENTRY Entry;
  PKBUGCHECK_CALLBACK_ROUTINE CallbackRoutine;
  PVOID Buffer;
  ULONG Length;
  PUCHAR Component;
  ULONG_PTR Checksum;
  UCHAR State;
} KBUGCHECK_CALLBACK_RECORD, *PKBUGCHECK_CALLBACK_RECORD;

/* A macro in the WDK too: only State is initialised (BufferEmpty). */
#define KeInitializeCallbackRecord(CallbackRecord) ((CallbackRecord)->State = BufferEmpty)

typedef struct _KBUGCHECK_SECONDARY_DUMP_DATA {
  PVOID InBuffer;
  ULONG InBufferLength;
  ULONG MaximumAllowed;
  GUID Guid;
  PVOID OutBuffer;
  ULONG OutBufferLength;
} KBUGCHECK_SECONDARY_DUMP_DATA, *PKBUGCHECK_SECONDARY_DUMP_DATA;

#define KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA 0x00000001
#define KB_SECONDARY_DATA_FLAG_NO_DEVICE_ACCESS 0x00000002

typedef struct _KBUGCHECK_SECONDARY_DUMP_DATA_EX {
  PVOID InBuffer;
  ULONG InBufferLength;
  ULONG MaximumAllowed;
  GUID Guid;
  PVOID OutBuffer;
  ULONG OutBufferLength;
  PVOID Context;
  ULONG Flags;
  ULONG DumpType;
  ULONG BugCheckCode;
  ULONG_PTR BugCheckParameter1;
  ULONG_PTR BugCheckParameter2;
  ULONG_PTR BugCheckParameter3;
  ULONG_PTR BugCheckParameter4;
} KBUGCHECK_SECONDARY_DUMP_DATA_EX, *PKBUGCHECK_SECONDARY_DUMP_DATA_EX;

typedef enum _KBUGCHECK_DUMP_IO_TYPE {
  KbDumpIoInvalid,
  KbDumpIoHeader,
  KbDumpIoBody,
  KbDumpIoSecondaryData,
  KbDumpIoComplete
} KBUGCHECK_DUMP_IO_TYPE;

typedef struct _KBUGCHECK_DUMP_IO {
  ULONG64 Offset;
  PVOID Buffer;
  ULONG BufferLength;
  KBUGCHECK_DUMP_IO_TYPE Type;
} KBUGCHECK_DUMP_IO, *PKBUGCHECK_DUMP_IO;

#define KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS 0x00000001
#define KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS 0x00000002
#define KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST 0x80000000
#define KB_ADD_PAGES_FEATURE_SHIFT 4
#define KB_ADD_PAGES_FEATURE_MASK 0x000000F0

typedef struct _KBUGCHECK_ADD_PAGES {
  PVOID Context;
  ULONG Flags;
  ULONG BugCheckCode;
  ULONG_PTR Address;
  ULONG_PTR Count;
} KBUGCHECK_ADD_PAGES, *PKBUGCHECK_ADD_PAGES;

#define KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS 0x00000001
#define KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS 0x00000002
#define KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST 0x80000000
#define KB_REMOVE_PAGES_FEATURE_SHIFT 4
#define KB_REMOVE_PAGES_FEATURE_MASK 0x00000F00

typedef struct _KBUGCHECK_REMOVE_PAGES {
  PVOID Context;
  ULONG Flags;
  ULONG BugCheckCode;
  ULONG_PTR Address;
  ULONG_PTR Count;
} KBUGCHECK_REMOVE_PAGES, *PKBUGCHECK_REMOVE_PAGES;

typedef struct _KADDRESS_RANGE {
  PVOID Address;
  SIZE_T Size;
} KADDRESS_RANGE, *PKADDRESS_RANGE;

typedef struct _KTRIAGE_DUMP_DATA_ARRAY {
  LIST_ENTRY List;
  ULONG NumBlocksUsed;
  ULONG NumBlocksTotal;
  ULONG DataSize;
  ULONG MaxDataSize;
  ULONG ComponentNameBufferLength;
  PUCHAR ComponentName;
  KADDRESS_RANGE Blocks[ANYSIZE_ARRAY];
} KTRIAGE_DUMP_DATA_ARRAY, *PKTRIAGE_DUMP_DATA_ARRAY;

#define KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE 0x00000001

typedef struct _KBUGCHECK_TRIAGE_DUMP_DATA {
  PKTRIAGE_DUMP_DATA_ARRAY DataArray;
  ULONG Flags;
  ULONG MaxVirtMemSize;
  ULONG BugCheckCode;
  ULONG_PTR BugCheckParameter1;
  ULONG_PTR BugCheckParameter2;
  ULONG_PTR BugCheckParameter3;
  ULONG_PTR BugCheckParameter4;
} KBUGCHECK_TRIAGE_DUMP_DATA, *PKBUGCHECK_TRIAGE_DUMP_DATA;

NTKERNELAPI BOOLEAN NTAPI KeRegisterBugCheckReasonCallback(PKBUGCHECK_REASON_CALLBACK_RECORD CallbackRecord,
                                                           PKBUGCHECK_REASON_CALLBACK_ROUTINE CallbackRoutine,
                                                           KBUGCHECK_CALLBACK_REASON Reason, PUCHAR Component);
NTKERNELAPI BOOLEAN NTAPI KeDeregisterBugCheckReasonCallback(PKBUGCHECK_REASON_CALLBACK_RECORD CallbackRecord);
NTKERNELAPI BOOLEAN NTAPI KeRegisterBugCheckCallback(PKBUGCHECK_CALLBACK_RECORD CallbackRecord,
                                                     PKBUGCHECK_CALLBACK_ROUTINE CallbackRoutine, PVOID Buffer,
                                                     ULONG Length, PUCHAR Component);
NTKERNELAPI BOOLEAN NTAPI KeDeregisterBugCheckCallback(PKBUGCHECK_CALLBACK_RECORD CallbackRecord);
NTKERNELAPI NTSTATUS NTAPI KeInitializeTriageDumpDataArray(PKTRIAGE_DUMP_DATA_ARRAY KtriageDumpDataArray,
                                                           ULONG Size);
NTKERNELAPI NTSTATUS NTAPI KeAddTriageDumpDataBlock(PKTRIAGE_DUMP_DATA_ARRAY KtriageDumpDataArray, PVOID Address,
                                                    SIZE_T Size);

/* ---- driver objects ---- */
#define IRP_MJ_CREATE 0x00
#define IRP_MJ_CLOSE 0x02
#define IRP_MJ_READ 0x03
#define IRP_MJ_WRITE 0x04
#define IRP_MJ_DEVICE_CONTROL 0x0e
#define IRP_MJ_INTERNAL_DEVICE_CONTROL 0x0f
#define IRP_MJ_SHUTDOWN 0x10
#define IRP_MJ_CLEANUP 0x12
#define IRP_MJ_POWER 0x16
#define IRP_MJ_SYSTEM_CONTROL 0x17
#define IRP_MJ_PNP 0x1b
#define IRP_MJ_MAXIMUM_FUNCTION 0x1b

#define IO_TYPE_DRIVER 4
#define IO_TYPE_DEVICE 3

typedef struct _DEVICE_OBJECT DEVICE_OBJECT, *PDEVICE_OBJECT;
typedef struct _IRP IRP, *PIRP;
typedef struct _DRIVER_EXTENSION DRIVER_EXTENSION, *PDRIVER_EXTENSION;
typedef struct _FAST_IO_DISPATCH FAST_IO_DISPATCH, *PFAST_IO_DISPATCH;
struct _DRIVER_OBJECT;

typedef NTSTATUS DRIVER_INITIALIZE(struct _DRIVER_OBJECT *DriverObject, PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;
typedef VOID DRIVER_UNLOAD(struct _DRIVER_OBJECT *DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;
typedef NTSTATUS DRIVER_DISPATCH(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;
typedef VOID DRIVER_STARTIO(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);
typedef DRIVER_STARTIO *PDRIVER_STARTIO;
typedef NTSTATUS DRIVER_ADD_DEVICE(struct _DRIVER_OBJECT *DriverObject, struct _DEVICE_OBJECT *PhysicalDeviceObject);
typedef DRIVER_ADD_DEVICE *PDRIVER_ADD_DEVICE;

typedef struct _DRIVER_OBJECT {
  CSHORT Type;
  CSHORT Size;
  PDEVICE_OBJECT DeviceObject;
  ULONG Flags;
  PVOID DriverStart;
  ULONG DriverSize;
  PVOID DriverSection;
  PDRIVER_EXTENSION DriverExtension;
  UNICODE_STRING DriverName;
  PUNICODE_STRING HardwareDatabase;
  PFAST_IO_DISPATCH FastIoDispatch;
  PDRIVER_INITIALIZE DriverInit;
  PDRIVER_STARTIO DriverStartIo;
  PDRIVER_UNLOAD DriverUnload;
  PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT, *PDRIVER_OBJECT;

#endif /* _WDMDDK_ */
