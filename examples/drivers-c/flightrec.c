/*
 * flightrec.sys in C — a DMF_CrashDump-style flight recorder
 * (KbCallbackSecondaryDumpData). The C twin of examples/drivers/flightRecorder.ts:
 * the same structures, the same protocol, the same bytes in the dump.
 *
 * The driver keeps the last N fixed-size records of what it did in a ring in
 * nonpaged pool. At a bug check it hands the ring to the kernel as secondary
 * dump data, oldest record first. Other components get rings of their own
 * ("data sources"), each with its own GUID, record size and bug check record.
 *
 * Build-time options: FLIGHT_RECORDER_RECORD_SIZE (64), FLIGHT_RECORDER_RECORD_COUNT (64),
 * FLIGHT_RECORDER_DATA_SOURCE_COUNT (4), FLIGHT_RECORDER_RING_MAXIMUM (1 MiB).
 */
#include <ntddk.h>
#include <ntstrsafe.h>

#ifndef FLIGHT_RECORDER_RECORD_SIZE
#define FLIGHT_RECORDER_RECORD_SIZE 64
#endif
#ifndef FLIGHT_RECORDER_RECORD_COUNT
#define FLIGHT_RECORDER_RECORD_COUNT 64
#endif
#ifndef FLIGHT_RECORDER_DATA_SOURCE_COUNT
#define FLIGHT_RECORDER_DATA_SOURCE_COUNT 4
#endif
#ifndef FLIGHT_RECORDER_RING_MAXIMUM
#define FLIGHT_RECORDER_RING_MAXIMUM 0x100000
#endif

#define FLIGHT_RECORDER_INDEX_SELF 0
#define DATA_SOURCE_SIGNATURE 0x73645246 /* 'FRds' */
#define POOL_TAG 'ceRF'                  /* "FRec" in memory */

// {F92A4697-FC39-4BF6-9099-CEC3970DFD94}
static const GUID FlightRecorderGuid = {0xf92a4697, 0xfc39, 0x4bf6, {0x90, 0x99, 0xce, 0xc3, 0x97, 0x0d, 0xfd, 0x94}};

/* One data source. The bug check record comes first: the callback gets back to it with CONTAINING_RECORD. */
typedef struct _FLIGHT_RECORDER_DATA_SOURCE {
  KBUGCHECK_REASON_CALLBACK_RECORD BugCheckRecord;
  ULONG Signature;
  ULONG Index;
  GUID Guid;
  ULONG EntrySize;
  ULONG EntryCount;
  ULONG WriteIndex;    /* slot the next record goes to */
  ULONG ItemsInBuffer; /* records held (<= EntryCount) */
  ULONG64 TotalWrites;
  KSPIN_LOCK SpinLock; /* writers take it; the bug check callback never does */
  PUCHAR Buffer;       /* EntrySize x EntryCount bytes of nonpaged pool */
} FLIGHT_RECORDER_DATA_SOURCE, *PFLIGHT_RECORDER_DATA_SOURCE;

/* The record format of the driver's own ring (64 bytes). */
typedef struct _FLIGHT_RECORDER_EVENT {
  ULONG Sequence;
  ULONG EventId;
  ULONG64 Argument;
  CHAR Message[48];
} FLIGHT_RECORDER_EVENT;

C_ASSERT(sizeof(FLIGHT_RECORDER_EVENT) == 64);
C_ASSERT(FLIGHT_RECORDER_RECORD_SIZE >= sizeof(FLIGHT_RECORDER_EVENT));

#define SLOTS (1 + FLIGHT_RECORDER_DATA_SOURCE_COUNT)

/* The device extension: the array of data sources and how many are in use. */
PFLIGHT_RECORDER_DATA_SOURCE g_DataSources;
ULONG g_DataSourcesInUse;

static DRIVER_UNLOAD FlightRecorderUnload;
static KBUGCHECK_REASON_CALLBACK_ROUTINE FlightRecorderBugCheckCallback;

static VOID Reverse(PUCHAR Bytes, SIZE_T Length) {
  for (SIZE_T i = 0, j = Length; i + 1 < j; i++, j--) {
    UCHAR t = Bytes[i];
    Bytes[i] = Bytes[j - 1];
    Bytes[j - 1] = t;
  }
}

/* The ring with its oldest record at slot 0, in place (three reversals), so both passes agree. */
static VOID ReorderOldestFirst(PFLIGHT_RECORDER_DATA_SOURCE Source) {
  ULONG oldest = Source->ItemsInBuffer < Source->EntryCount ? 0 : Source->WriteIndex % Source->EntryCount;
  if (oldest != 0) {
    SIZE_T total = (SIZE_T)Source->EntrySize * Source->EntryCount;
    SIZE_T split = (SIZE_T)oldest * Source->EntrySize;
    Reverse(Source->Buffer, split);
    Reverse(Source->Buffer + split, total - split);
    Reverse(Source->Buffer, total);
  }
  Source->WriteIndex = Source->ItemsInBuffer % Source->EntryCount;
}

/*
 * KBUGCHECK_REASON_CALLBACK_ROUTINE, one for every data source. HIGH_LEVEL:
 * no allocation, no lock, and the data source is checked before it is trusted.
 */
static VOID FlightRecorderBugCheckCallback(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record,
                                           PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength) {
  PKBUGCHECK_SECONDARY_DUMP_DATA secondary = (PKBUGCHECK_SECONDARY_DUMP_DATA)ReasonSpecificData;
  PFLIGHT_RECORDER_DATA_SOURCE source;
  PVOID start = NULL;
  ULONG length = 0;
  BOOLEAN dataPass;

  if (Reason != KbCallbackSecondaryDumpData) return;
  if (ReasonSpecificDataLength < sizeof(KBUGCHECK_SECONDARY_DUMP_DATA)) return;
  source = CONTAINING_RECORD(Record, FLIGHT_RECORDER_DATA_SOURCE, BugCheckRecord);
  if (!MmIsAddressValid(source) || source->Signature != DATA_SOURCE_SIGNATURE) return;
  dataPass = secondary->OutBuffer != NULL;

  if (source->ItemsInBuffer > 0 && MmIsAddressValid(source->Buffer)) {
    /* Whole records only, and if the ring is larger than allowed, the newest ones. */
    ULONG records = min(source->ItemsInBuffer, secondary->MaximumAllowed / source->EntrySize);
    ULONG items = source->ItemsInBuffer;
    ReorderOldestFirst(source);
    length = records * source->EntrySize;
    start = length == 0 ? NULL : source->Buffer + (SIZE_T)(items - records) * source->EntrySize;
  }
  /* The ring itself is the output buffer: nothing is copied into InBuffer. */
  if (dataPass) secondary->Guid = source->Guid;
  secondary->OutBuffer = start;
  secondary->OutBufferLength = length;
}

/* Allocates the ring, fills in the data source and registers its record (before any crash). */
static NTSTATUS CreateDataSource(ULONG Index, const GUID *Guid, ULONG EntrySize, ULONG EntryCount) {
  PFLIGHT_RECORDER_DATA_SOURCE source = &g_DataSources[Index];
  PUCHAR buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (SIZE_T)EntrySize * EntryCount, POOL_TAG);
  if (buffer == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  source->Signature = DATA_SOURCE_SIGNATURE;
  source->Index = Index;
  source->Guid = *Guid;
  source->EntrySize = EntrySize;
  source->EntryCount = EntryCount;
  source->Buffer = buffer;
  KeInitializeCallbackRecord(&source->BugCheckRecord);
  if (!KeRegisterBugCheckReasonCallback(&source->BugCheckRecord, FlightRecorderBugCheckCallback,
                                        KbCallbackSecondaryDumpData, (PUCHAR) "FlightRecorder")) {
    ExFreePoolWithTag(buffer, POOL_TAG);
    RtlZeroMemory(source, sizeof(*source));
    return STATUS_UNSUCCESSFUL;
  }
  return STATUS_SUCCESS;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  NTSTATUS status;
  UNREFERENCED_PARAMETER(RegistryPath);
  g_DataSources = ExAllocatePool2(POOL_FLAG_NON_PAGED, SLOTS * sizeof(FLIGHT_RECORDER_DATA_SOURCE), POOL_TAG);
  if (g_DataSources == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  status = CreateDataSource(FLIGHT_RECORDER_INDEX_SELF, &FlightRecorderGuid, FLIGHT_RECORDER_RECORD_SIZE,
                            FLIGHT_RECORDER_RECORD_COUNT);
  if (!NT_SUCCESS(status)) {
    ExFreePoolWithTag(g_DataSources, POOL_TAG);
    return status;
  }
  g_DataSourcesInUse = 1;
  DriverObject->DriverUnload = FlightRecorderUnload;
  return STATUS_SUCCESS;
}

/* DriverUnload: deregister every record before its memory goes. */
static VOID FlightRecorderUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  for (ULONG i = 0; i < g_DataSourcesInUse; i++) {
    KeDeregisterBugCheckReasonCallback(&g_DataSources[i].BugCheckRecord);
    ExFreePoolWithTag(g_DataSources[i].Buffer, POOL_TAG);
  }
  ExFreePoolWithTag(g_DataSources, POOL_TAG);
  g_DataSourcesInUse = 0;
}

/* IOCTL_DATA_SOURCE_CREATE: a new ring under its own GUID. Returns its index, or -1. */
LONG FlightRecorderDataSourceCreate(const GUID *Guid, ULONG EntrySize, ULONG EntryCount) {
  if (EntrySize < 1 || EntryCount < 1 || (ULONG64)EntrySize * EntryCount > FLIGHT_RECORDER_RING_MAXIMUM) return -1;
  if (g_DataSourcesInUse >= SLOTS) return -1;
  for (ULONG i = 0; i < g_DataSourcesInUse; i++)
    if (RtlEqualMemory(&g_DataSources[i].Guid, Guid, sizeof(GUID))) return -1;
  if (!NT_SUCCESS(CreateDataSource(g_DataSourcesInUse, Guid, EntrySize, EntryCount))) return -1;
  return (LONG)g_DataSourcesInUse++;
}

/* The index of the data source tagged Guid, or -1 (IOCTL_DATA_SOURCE_OPEN). */
LONG FlightRecorderDataSourceOpen(const GUID *Guid) {
  for (ULONG i = 0; i < g_DataSourcesInUse; i++)
    if (RtlEqualMemory(&g_DataSources[i].Guid, Guid, sizeof(GUID))) return (LONG)i;
  return -1;
}

/* Appends one record (<= EntrySize bytes; the rest of the slot is zeroed). IRQL <= DISPATCH_LEVEL. */
NTSTATUS FlightRecorderDataSourceWrite(ULONG Index, const VOID *Data, ULONG Length) {
  PFLIGHT_RECORDER_DATA_SOURCE source;
  KIRQL oldIrql;
  PUCHAR slot;
  if (Index >= g_DataSourcesInUse) return STATUS_INVALID_PARAMETER;
  source = &g_DataSources[Index];
  KeAcquireSpinLock(&source->SpinLock, &oldIrql);
  if (Length > source->EntrySize) {
    KeReleaseSpinLock(&source->SpinLock, oldIrql);
    return STATUS_INVALID_PARAMETER;
  }
  slot = source->Buffer + (SIZE_T)source->WriteIndex * source->EntrySize;
  RtlZeroMemory(slot, source->EntrySize);
  RtlCopyMemory(slot, Data, Length);
  source->WriteIndex = (source->WriteIndex + 1) % source->EntryCount;
  source->ItemsInBuffer = min(source->ItemsInBuffer + 1, source->EntryCount);
  source->TotalWrites++;
  KeReleaseSpinLock(&source->SpinLock, oldIrql);
  return STATUS_SUCCESS;
}

/* Logs one FLIGHT_RECORDER_EVENT (Sequence = the ring's write count) into the driver's own ring. */
NTSTATUS FlightRecorderLogEvent(ULONG EventId, ULONG64 Argument, PCSTR Message) {
  FLIGHT_RECORDER_EVENT event;
  SIZE_T i;
  RtlZeroMemory(&event, sizeof(event));
  event.Sequence = (ULONG)g_DataSources[FLIGHT_RECORDER_INDEX_SELF].TotalWrites;
  event.EventId = EventId;
  event.Argument = Argument;
  for (i = 0; i < sizeof(event.Message) && Message[i] != '\0'; i++) event.Message[i] = Message[i];
  return FlightRecorderDataSourceWrite(FLIGHT_RECORDER_INDEX_SELF, &event, sizeof(event));
}

/* A few steps of made-up activity: an event in the own ring, a sample in each data source. */
VOID FlightRecorderRun(ULONG Step) {
  static const PCSTR events[] = {"IRP_MJ_READ completed", "IRP_MJ_WRITE queued", "DPC: interrupt serviced",
                                 "Power: D0 entry"};
  CHAR text[64];
  RtlStringCbPrintfA(text, sizeof(text), "%s #%u", events[Step % 4], Step);
  FlightRecorderLogEvent(0x100 + Step % 4, Step, text);
  for (ULONG i = 1; i < g_DataSourcesInUse; i++) {
    CHAR sample[32];
    ULONG length = min(g_DataSources[i].EntrySize, (ULONG)sizeof(sample));
    RtlZeroMemory(sample, sizeof(sample));
    RtlStringCbPrintfA(sample, sizeof(sample), "source %u sample %u", i, Step);
    FlightRecorderDataSourceWrite(i, sample, length);
  }
}
