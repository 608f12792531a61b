/*
 * bugcheck.h — what the simulated machine gives a C driver that a real
 * Windows system would give it some other way. Not part of the WDK; the
 * sample drivers use it, a driver of yours need not.
 *
 *  - Device memory: on Windows the PnP manager hands a driver its device's
 *    memory ranges (CM_RESOURCE_LIST at IRP_MN_START_DEVICE). Here a driver
 *    asks for a fresh range of device frames (owned by the device: not in a
 *    kernel dump unless a callback adds them).
 *  - Host channels: a byte sink outside the machine (what a hypervisor
 *    channel or a debug port is to a real driver), bound to a file by whoever
 *    loads the driver (loadDriver's `hostChannels`). Writing to one is allowed
 *    at any IRQL, as writing to a device register is.
 *  - BCryptGenRandom: the one CNG function modelled (random bytes).
 */
#ifndef _BUGCHECK_MODEL_H_
#define _BUGCHECK_MODEL_H_

#include <wdm.h>

/* PASSIVE_LEVEL. STATUS_SUCCESS, STATUS_INVALID_PARAMETER or STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS NTAPI BcAllocateDeviceMemory(ULONG NumberOfPages, PPHYSICAL_ADDRESS PhysicalAddress);

/* PASSIVE_LEVEL. STATUS_OBJECT_NAME_NOT_FOUND when no channel of that name was given to the driver. */
NTSTATUS NTAPI BcOpenHostChannel(PCSTR Name, PHANDLE Channel);
/* Any IRQL. Writes Length bytes at Offset of the channel. STATUS_IO_DEVICE_ERROR when the host cannot. */
NTSTATUS NTAPI BcWriteHostChannel(HANDLE Channel, ULONG64 Offset, const VOID *Buffer, ULONG Length);
/* Any IRQL. Flush: make the bytes durable first. */
NTSTATUS NTAPI BcCloseHostChannel(HANDLE Channel, BOOLEAN Flush);

#define BCRYPT_USE_SYSTEM_PREFERRED_RNG 0x00000002
/* PASSIVE_LEVEL (as CNG's). hAlgorithm must be NULL with BCRYPT_USE_SYSTEM_PREFERRED_RNG. */
NTSTATUS NTAPI BCryptGenRandom(PVOID hAlgorithm, PUCHAR pbBuffer, ULONG cbBuffer, ULONG dwFlags);

#endif /* _BUGCHECK_MODEL_H_ */
