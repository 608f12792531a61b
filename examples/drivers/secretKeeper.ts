/**
 * secretkeeper.sys — KbCallbackRemovePages: keep key material out of dumps.
 *
 * Crash dumps travel: they are uploaded, attached to bug reports, read by
 * people who should not see what the driver protects. This driver holds a
 * random 256-bit key and a scratch page it decrypts into; both sit in
 * page-aligned nonpaged allocations of their own so that removing their pages
 * removes nothing else. The remove-pages callback names the key page by
 * virtual address and the scratch page by physical address (one run per
 * call, Context as the cursor), and the kernel leaves them out of kernel and
 * complete dumps. Everything else of the driver — its extension with the
 * counters — stays in the dump.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import {
  KBUGCHECK_REMOVE_PAGES,
  KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST,
  KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS,
  KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS,
  KbCallbackReason,
  bytes,
  struct,
  u32,
  u64,
  type DriverDefinition,
  type DriverObject,
} from '../../src/index.js';
import { MmGetPhysicalAddress, PAGE_SIZE, SampleDriverError, getDeviceExtension, setDeviceExtension } from './wdk.js';

export const SECRET_KEEPER_DRIVER_NAME = 'secretkeeper.sys';
export const SECRET_KEEPER_COMPONENT = 'SecretKeeper';
export const SECRET_KEY_BYTES = 32;

const EXTENSION_KEY = 'secretKeeper';
const POOL_TAG = 'Scrt';
const EXTENSION_SIGNATURE = 0x7472_6353; // 'Scrt'

/** The key page: the key, and the counter block the cipher advances. */
export const SECRET_KEY_PAGE = struct('SECRET_KEY_PAGE', {
  Key: bytes(SECRET_KEY_BYTES),
  NonceHigh: u64,
  BlocksUsed: u64,
});

/** The device extension (nonpaged, NOT removed: nothing in it is secret). */
export const SECRET_KEEPER_EXTENSION = struct('SECRET_KEEPER_EXTENSION', {
  Signature: u32,
  Encryptions: u32,
  /** Page-aligned, one page; removed by VA. */
  KeyPage: u64,
  /** Page-aligned, one page; removed by PA. */
  ScratchPage: u64,
  ScratchPagePhysical: u64,
  BytesEncrypted: u64,
});

export interface SecretKeeperOptions {
  name?: string;
  component?: string;
  /** The key; default 32 random bytes. */
  key?: Uint8Array;
  /** Register the remove-pages callback. false = the same driver without it, whose key ends up in every dump. Default true. */
  protectKeyMaterial?: boolean;
}

export class SecretKeeperExtension {
  constructor(
    readonly extension: bigint,
    readonly keyPage: bigint,
    readonly scratchPage: bigint,
    readonly scratchPagePhysical: bigint,
  ) {}
}

export function secretKeeperExtension(driver: DriverObject): SecretKeeperExtension | undefined {
  return getDeviceExtension(driver, EXTENSION_KEY, SecretKeeperExtension);
}

/** One whole page of nonpaged pool: a request of PAGE_SIZE bytes comes page-aligned, alone in its page. */
function allocatePrivatePage(driver: DriverObject): bigint {
  const va = driver.allocateNonPaged(PAGE_SIZE, POOL_TAG);
  if ((va & 0xfffn) !== 0n) {
    driver.kernel.ExFreePoolWithTag(va, POOL_TAG);
    throw new SampleDriverError(
      'E_SAMPLE_ALLOCATION',
      `${driver.name}: a page-sized allocation came back unaligned; its page would be shared`,
    );
  }
  return va;
}

export function createSecretKeeperDriver(options: SecretKeeperOptions = {}): DriverDefinition {
  const component = options.component ?? SECRET_KEEPER_COMPONENT;
  if (options.key !== undefined && options.key.length !== SECRET_KEY_BYTES) {
    throw new SampleDriverError(
      'E_SAMPLE_ARGUMENT',
      `the key must be ${SECRET_KEY_BYTES} bytes, got ${options.key.length}`,
    );
  }

  return {
    name: options.name ?? SECRET_KEEPER_DRIVER_NAME,

    DriverEntry(driver) {
      const { kernel, machine } = driver;
      const keyPage = allocatePrivatePage(driver);
      const scratchPage = allocatePrivatePage(driver);
      machine.writeVirtual(keyPage, new Uint8Array(PAGE_SIZE));
      machine.writeVirtual(scratchPage, new Uint8Array(PAGE_SIZE));
      kernel
        .view(SECRET_KEY_PAGE, keyPage)
        .assign({ Key: options.key ?? randomBytes(SECRET_KEY_BYTES), NonceHigh: randomBytes(8).readBigUInt64LE(0) });
      // Looked up now: at HIGH_LEVEL the callback only reads what is already there.
      const scratchPagePhysical = MmGetPhysicalAddress(driver, scratchPage);

      const extension = driver.allocateNonPaged(SECRET_KEEPER_EXTENSION.size, POOL_TAG);
      kernel.view(SECRET_KEEPER_EXTENSION, extension).assign({
        Signature: EXTENSION_SIGNATURE,
        KeyPage: keyPage,
        ScratchPage: scratchPage,
        ScratchPagePhysical: scratchPagePhysical,
      });
      setDeviceExtension(
        driver,
        EXTENSION_KEY,
        new SecretKeeperExtension(extension, keyPage, scratchPage, scratchPagePhysical),
      );

      /**
       * KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackRemovePages. Call 1
       * (Context NULL): the key page by VA, more to come. Call 2: the scratch
       * page by PA, last. Anything unexpected: remove nothing more.
       */
      const SecretKeeperRemovePagesCallback = (
        reason: number,
        _record: bigint,
        reasonSpecificData: bigint,
        reasonSpecificDataLength: number,
      ): void => {
        if (reason !== KbCallbackReason.KbCallbackRemovePages || reasonSpecificDataLength < KBUGCHECK_REMOVE_PAGES.size)
          return;
        const removePages = kernel.view(KBUGCHECK_REMOVE_PAGES, reasonSpecificData);
        const ext = kernel.view(SECRET_KEEPER_EXTENSION, extension);
        if (!kernel.MmIsAddressValid(extension) || ext.get('Signature') !== EXTENSION_SIGNATURE) {
          removePages.write({ Flags: KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS, Address: 0n, Count: 0n });
          return;
        }
        switch (removePages.get('Context')) {
          case 0n:
            removePages.write({
              Context: 1n,
              Flags: (KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS | KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST) >>> 0,
              Address: ext.get('KeyPage'),
              Count: 1n,
            });
            break;
          case 1n:
            removePages.write({
              Context: 2n,
              Flags: KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS,
              Address: ext.get('ScratchPagePhysical'),
              Count: 1n,
            });
            break;
          default:
            removePages.write({ Flags: KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS, Address: 0n, Count: 0n });
        }
      };

      if (options.protectKeyMaterial ?? true) {
        driver.registerReasonCallback(
          SecretKeeperRemovePagesCallback,
          KbCallbackReason.KbCallbackRemovePages,
          component,
        );
      }
    },

    DriverUnload(driver) {
      const ext = secretKeeperExtension(driver);
      if (!ext) return;
      driver.deregisterAll();
      // Wipe before freeing: freed pool is reused and would carry the key along.
      driver.machine.writeVirtual(ext.keyPage, new Uint8Array(PAGE_SIZE));
      driver.machine.writeVirtual(ext.scratchPage, new Uint8Array(PAGE_SIZE));
      for (const va of [ext.keyPage, ext.scratchPage, ext.extension]) driver.kernel.ExFreePoolWithTag(va, POOL_TAG);
      delete driver.extension[EXTENSION_KEY];
    },
  };
}

/**
 * Encrypts `plaintext` (≤ one page) with AES-256-CTR under the driver's key.
 * The plaintext passes through the scratch page, as it would in a driver
 * that decrypts into a bounce buffer; that page is why the scratch page is
 * removed too.
 */
export function SecretKeeperEncrypt(driver: DriverObject, plaintext: Uint8Array): Uint8Array {
  const ext = secretKeeperExtension(driver);
  if (!ext) throw new SampleDriverError('E_SAMPLE_NOT_THIS_DRIVER', `${driver.name} is not the secret keeper`);
  if (plaintext.length > PAGE_SIZE)
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `at most ${PAGE_SIZE} bytes at a time, got ${plaintext.length}`);
  const { kernel, machine } = driver;
  machine.writeVirtual(ext.scratchPage, plaintext);
  const keyView = kernel.view(SECRET_KEY_PAGE, ext.keyPage);
  const key = keyView.read();
  const counter = new Uint8Array(16);
  const cv = new DataView(counter.buffer);
  cv.setBigUint64(0, key.NonceHigh, false);
  cv.setBigUint64(8, key.BlocksUsed, false);
  const cipher = createCipheriv('aes-256-ctr', key.Key, counter);
  const out = new Uint8Array(
    Buffer.concat([cipher.update(machine.readVirtual(ext.scratchPage, plaintext.length)), cipher.final()]),
  );
  keyView.set('BlocksUsed', key.BlocksUsed + BigInt(Math.ceil(plaintext.length / 16)));
  const extView = kernel.view(SECRET_KEEPER_EXTENSION, ext.extension);
  const s = extView.read();
  extView.write({ Encryptions: s.Encryptions + 1, BytesEncrypted: s.BytesEncrypted + BigInt(plaintext.length) });
  return out;
}

/** One step of activity: encrypt a made-up record. */
export function secretKeeperRun(driver: DriverObject, step: number): void {
  if (!secretKeeperExtension(driver)) return;
  SecretKeeperEncrypt(
    driver,
    Buffer.from(`customer record ${step}: card ending ${String(1000 + ((step * 7919) % 9000))}`, 'latin1'),
  );
}
