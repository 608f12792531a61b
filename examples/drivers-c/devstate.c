/*
 * devstate.sys in C — KbCallbackAddPages: put device memory into a kernel dump.
 * The C twin of examples/drivers/deviceStateSaver.ts.
 *
 * The (simulated) device has a receive ring and a firmware trace buffer in
 * device memory the kernel never maps, and a mailbox page mapped with
 * MmMapIoSpaceEx. None of it is in a kernel dump by default. The add-pages
 * callback names them, one run per call (rings by physical address, the
 * mailbox by virtual address), Context as its cursor.
 *
 * The device memory comes from BcAllocateDeviceMemory (bugcheck.h), standing
 * in for the resources the PnP manager hands a real driver.
 *
 * Build-time options: DEVICE_STATE_RECEIVE_RING_PAGES (4), DEVICE_STATE_TRACE_BUFFER_PAGES (2).
 */
#include <ntddk.h>
#include <bugcheck.h>

#ifndef DEVICE_STATE_RECEIVE_RING_PAGES
#define DEVICE_STATE_RECEIVE_RING_PAGES 4
#endif
#ifndef DEVICE_STATE_TRACE_BUFFER_PAGES
#define DEVICE_STATE_TRACE_BUFFER_PAGES 2
#endif

#define POOL_TAG 'tSvD'               /* "DvSt" in memory */
#define EXTENSION_SIGNATURE 0x74537644 /* 'DvSt' */
#define DEVICE_MAILBOX_SIGNATURE 0x786f424d /* 'MBox' */
#define MAX_RANGES 8

typedef struct _DEVICE_STATE_RANGE {
  ULONG64 Address;
  ULONG64 PageCount;
  ULONG Flags; /* KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS or KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS */
} DEVICE_STATE_RANGE;

/* The device extension (nonpaged): the table the callback walks, filled in before any crash. */
typedef struct _DEVICE_STATE_SAVER_EXTENSION {
  ULONG Signature;
  ULONG RangeCount;
  DEVICE_STATE_RANGE Ranges[MAX_RANGES];
} DEVICE_STATE_SAVER_EXTENSION, *PDEVICE_STATE_SAVER_EXTENSION;

/* The mailbox the driver and the device's firmware share (first bytes of the mapped page). */
typedef struct _DEVICE_MAILBOX {
  ULONG Signature;
  ULONG FirmwareState;
  ULONG64 InterruptCount;
  ULONG LastCommand;
  ULONG LastStatus;
  ULONG ReceiveProducer;
  ULONG ReceiveConsumer;
} DEVICE_MAILBOX, *PDEVICE_MAILBOX;

#define RECEIVE_DESCRIPTOR_SIZE 0x40

PDEVICE_STATE_SAVER_EXTENSION g_Extension;
PDEVICE_MAILBOX g_Mailbox;
static KBUGCHECK_REASON_CALLBACK_RECORD g_Record;

static DRIVER_UNLOAD DeviceStateSaverUnload;
static KBUGCHECK_REASON_CALLBACK_ROUTINE DeviceStateSaverAddPagesCallback;

static VOID NoMoreRanges(PKBUGCHECK_ADD_PAGES AddPages) {
  AddPages->Flags = KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS;
  AddPages->Address = 0;
  AddPages->Count = 0;
}

/*
 * KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackAddPages. One run per call;
 * Context (NULL on the first call) is the index of the next run, and
 * ADDITIONAL_RANGES_EXIST asks for another call.
 */
static VOID DeviceStateSaverAddPagesCallback(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record,
                                             PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength) {
  PKBUGCHECK_ADD_PAGES addPages = (PKBUGCHECK_ADD_PAGES)ReasonSpecificData;
  PDEVICE_STATE_SAVER_EXTENSION table = g_Extension;
  ULONG count, index;
  DEVICE_STATE_RANGE *range = NULL;
  UNREFERENCED_PARAMETER(Record);
  if (Reason != KbCallbackAddPages || ReasonSpecificDataLength < sizeof(KBUGCHECK_ADD_PAGES)) return;
  /* Memory may be damaged at crash time: trust the table only if it still looks like one. */
  if (!MmIsAddressValid(table) || table->Signature != EXTENSION_SIGNATURE) {
    NoMoreRanges(addPages);
    return;
  }
  count = min(table->RangeCount, (ULONG)MAX_RANGES);
  index = (ULONG)(ULONG_PTR)addPages->Context;
  if (index < count) range = &table->Ranges[index];
  /* A virtual run must still be mapped, or the kernel would fault walking it: skip it. */
  while (range != NULL && range->Flags == KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS &&
         !MmIsAddressValid((PVOID)(ULONG_PTR)range->Address)) {
    index++;
    range = index < count ? &table->Ranges[index] : NULL;
  }
  if (range == NULL) {
    NoMoreRanges(addPages);
    return;
  }
  addPages->Context = (PVOID)(ULONG_PTR)(index + 1);
  addPages->Flags = range->Flags | (index + 1 < count ? KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST : 0);
  addPages->Address = (ULONG_PTR)range->Address;
  addPages->Count = (ULONG_PTR)range->PageCount;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  PHYSICAL_ADDRESS receiveRing, traceBuffer, mailbox;
  UNREFERENCED_PARAMETER(RegistryPath);
  /* What the PnP manager would hand over as the device's resources: three pieces of device memory. */
  if (!NT_SUCCESS(BcAllocateDeviceMemory(DEVICE_STATE_RECEIVE_RING_PAGES, &receiveRing)) ||
      !NT_SUCCESS(BcAllocateDeviceMemory(DEVICE_STATE_TRACE_BUFFER_PAGES, &traceBuffer)) ||
      !NT_SUCCESS(BcAllocateDeviceMemory(1, &mailbox)))
    return STATUS_INSUFFICIENT_RESOURCES;
  g_Mailbox = MmMapIoSpaceEx(mailbox, PAGE_SIZE, PAGE_READWRITE | PAGE_NOCACHE);
  if (g_Mailbox == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  g_Mailbox->Signature = DEVICE_MAILBOX_SIGNATURE;
  g_Mailbox->FirmwareState = 1;

  g_Extension = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(DEVICE_STATE_SAVER_EXTENSION), POOL_TAG);
  if (g_Extension == NULL) {
    MmUnmapIoSpace(g_Mailbox, PAGE_SIZE);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  g_Extension->Signature = EXTENSION_SIGNATURE;
  g_Extension->RangeCount = 3;
  g_Extension->Ranges[0].Address = (ULONG64)receiveRing.QuadPart;
  g_Extension->Ranges[0].PageCount = DEVICE_STATE_RECEIVE_RING_PAGES;
  g_Extension->Ranges[0].Flags = KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS;
  g_Extension->Ranges[1].Address = (ULONG64)traceBuffer.QuadPart;
  g_Extension->Ranges[1].PageCount = DEVICE_STATE_TRACE_BUFFER_PAGES;
  g_Extension->Ranges[1].Flags = KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS;
  g_Extension->Ranges[2].Address = (ULONG64)(ULONG_PTR)g_Mailbox;
  g_Extension->Ranges[2].PageCount = BYTES_TO_PAGES(PAGE_SIZE);
  g_Extension->Ranges[2].Flags = KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS;

  KeInitializeCallbackRecord(&g_Record);
  if (!KeRegisterBugCheckReasonCallback(&g_Record, DeviceStateSaverAddPagesCallback, KbCallbackAddPages,
                                        (PUCHAR) "DeviceStateSaver")) {
    ExFreePoolWithTag(g_Extension, POOL_TAG);
    MmUnmapIoSpace(g_Mailbox, PAGE_SIZE);
    return STATUS_UNSUCCESSFUL;
  }
  DriverObject->DriverUnload = DeviceStateSaverUnload;
  return STATUS_SUCCESS;
}

static VOID DeviceStateSaverUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  KeDeregisterBugCheckReasonCallback(&g_Record);
  MmUnmapIoSpace(g_Mailbox, PAGE_SIZE);
  ExFreePoolWithTag(g_Extension, POOL_TAG);
}

/*
 * The interrupt handler's part of one step of device activity (the device
 * has just written a receive descriptor and a trace line into its memory):
 * the driver updates the mailbox.
 */
VOID DeviceStateSaverInterrupt(ULONG Step) {
  ULONG slots = DEVICE_STATE_RECEIVE_RING_PAGES * PAGE_SIZE / RECEIVE_DESCRIPTOR_SIZE;
  g_Mailbox->InterruptCount++;
  g_Mailbox->LastCommand = 0x10 + Step % 4;
  g_Mailbox->LastStatus = 0;
  g_Mailbox->ReceiveProducer = (Step + 1) % slots;
  g_Mailbox->ReceiveConsumer = Step % slots;
}
