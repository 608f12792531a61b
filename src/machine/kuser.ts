/**
 * KUSER_SHARED_DATA fields the model fills (offsets of the x64 structure,
 * stable since Windows 10 1507). Dump writers copy ProductType/SuiteMask
 * from here; analyzers read the build number and times.
 */
export const KUSER_SHARED_DATA_OFFSETS = {
  TickCountMultiplier: 0x004,
  InterruptTime: 0x008,
  SystemTime: 0x014,
  TimeZoneBias: 0x020,
  ImageNumberLow: 0x02c,
  ImageNumberHigh: 0x02e,
  NtSystemRoot: 0x030,
  NtBuildNumber: 0x260,
  NtProductType: 0x264,
  ProductTypeIsValid: 0x268,
  NativeProcessorArchitecture: 0x26a,
  NtMajorVersion: 0x26c,
  NtMinorVersion: 0x270,
  SuiteMask: 0x2d0,
  KdDebuggerEnabled: 0x2d4,
  NumberOfPhysicalPages: 0x2e8,
  TickCount: 0x320,
  ActiveProcessorCount: 0x3c0,
} as const;

export interface KuserFields {
  build: number;
  productType: number;
  suiteMask: number;
  systemTime: bigint;
  systemUpTime: bigint;
  numberOfPhysicalPages: bigint;
  processors: number;
}

/** One page holding KUSER_SHARED_DATA as a booted Windows 10 kernel keeps it. */
export function buildKuserSharedData(f: KuserFields): Uint8Array {
  const page = new Uint8Array(0x1000);
  const v = new DataView(page.buffer);
  const o = KUSER_SHARED_DATA_OFFSETS;
  const ksystemTime = (at: number, value: bigint): void => {
    v.setUint32(at, Number(value & 0xffff_ffffn), true);
    v.setInt32(at + 4, Number(BigInt.asIntN(32, value >> 32n)), true);
    v.setInt32(at + 8, Number(BigInt.asIntN(32, value >> 32n)), true);
  };
  v.setUint32(o.TickCountMultiplier, 0x0fa0_0000, true); // 15.625 ms ticks in 24.8 fixed point
  ksystemTime(o.InterruptTime, f.systemUpTime);
  ksystemTime(o.SystemTime, f.systemTime);
  v.setUint16(o.ImageNumberLow, 0x8664, true);
  v.setUint16(o.ImageNumberHigh, 0x8664, true);
  const root = 'C:\\Windows';
  for (let i = 0; i < root.length; i++) v.setUint16(o.NtSystemRoot + i * 2, root.charCodeAt(i), true);
  v.setUint32(o.NtBuildNumber, f.build >>> 0, true);
  v.setUint32(o.NtProductType, f.productType >>> 0, true);
  v.setUint8(o.ProductTypeIsValid, 1);
  v.setUint16(o.NativeProcessorArchitecture, 9, true); // PROCESSOR_ARCHITECTURE_AMD64
  v.setUint32(o.NtMajorVersion, 10, true);
  v.setUint32(o.NtMinorVersion, 0, true);
  v.setUint32(o.SuiteMask, f.suiteMask >>> 0, true);
  v.setUint32(o.NumberOfPhysicalPages, Number(f.numberOfPhysicalPages & 0xffff_ffffn), true);
  ksystemTime(o.TickCount, f.systemUpTime / 156_250n); // 15.625 ms per tick
  v.setUint32(o.ActiveProcessorCount, f.processors, true);
  return page;
}
