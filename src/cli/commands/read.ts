import { Option } from 'commander';
import { formatHexdump, jsonHex, presenceFromStatus } from '../../analyze/index.js';
import type { CrashDump, MemoryRead } from '../../dump/reader/index.js';
import type { CliCommand } from '../command.js';
import { dumpProblems, withDump } from '../dump.js';
import { CliError, CliErrorCode } from '../errors.js';
import { addressArgument, lengthArgument } from '../parse.js';

export const DEFAULT_READ_LENGTH = 0x80;
const ADDRESS_LIMIT = 1n << 64n;

/** Why a virtual address has no bytes in the dump, in a few words (from the reader's translation). */
async function whyAbsent(dump: CrashDump, address: bigint): Promise<string> {
  try {
    const t = await dump.translate(address);
    switch (t.status) {
      case 'not-mapped':
        return `not mapped (${t.level} not present)`;
      case 'not-in-dump':
        return `the ${t.level} table page (PA ${jsonHex(t.tablePa)}) is not in the dump`;
      case 'non-canonical':
        return 'not a canonical address';
      case 'mapped':
        return t.inDump ? 'mapped' : `mapped to PA ${jsonHex(t.pa)}, which is not in the dump`;
      case 'triage':
        return 'held by a triage data block';
      case 'unsupported':
        return t.reason;
    }
  } catch {
    return 'no translation';
  }
}

/** `bugcheck read DUMP ADDRESS` — bytes at a virtual (or physical) address, like WinDbg `db`. */
export const readCommand: CliCommand = {
  name: 'read',
  register(program, ctx) {
    program
      .command('read')
      .description(
        "display memory held in the dump like WinDbg's db: 16 bytes a line, ?? for bytes the dump does not hold",
      )
      .argument('<dump>', 'crash dump file')
      .argument(
        '<address>',
        'virtual address (hex; 0x and the ` WinDbg puts in 64-bit addresses are optional; 0n… for decimal)',
        addressArgument,
      )
      .addOption(
        new Option('-n, --length <length>', 'number of bytes (hex, like the address)')
          .argParser(lengthArgument)
          .default(DEFAULT_READ_LENGTH, '0x80'),
      )
      .option('--physical', 'ADDRESS is a physical address')
      .option(
        '--json',
        'print { address, length, physical, complete, bytes (hex; absent bytes 00), pages: [{ address, length, status }] }',
      )
      .addHelpText('after', '\nExit code 1 when none of the bytes is in the dump.')
      .action(
        async (path: string, address: bigint, options: { length: number; physical?: boolean; json?: boolean }) => {
          ctx.json = options.json === true;
          const physical = options.physical === true;
          // Never read past the top of the 64-bit address space.
          const length = Number(
            BigInt(options.length) > ADDRESS_LIMIT - address ? ADDRESS_LIMIT - address : BigInt(options.length),
          );
          await withDump(path, async (dump) => {
            ctx.warnProblems(dumpProblems(dump));
            const read: MemoryRead = physical
              ? await dump.readPhysical(address, length)
              : await dump.readVirtual(address, length);
            if (!read.status.some((s) => s.status === 'present')) {
              const why = physical ? 'no page of it is in the dump' : await whyAbsent(dump, address);
              throw new CliError(
                CliErrorCode.NotInDump,
                `${physical ? 'physical' : 'virtual'} address ${jsonHex(address)} (${jsonHex(length)} bytes) is not in the dump: ${why}`,
                {
                  address,
                  length,
                  physical,
                },
              );
            }
            if (ctx.json) {
              ctx.printJson({
                address: jsonHex(read.address),
                length: read.bytes.length,
                physical,
                complete: read.complete,
                bytes: Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength).toString('hex'),
                pages: read.status.map((s) => ({ address: jsonHex(s.address), length: s.length, status: s.status })),
              });
              return;
            }
            ctx.print(
              formatHexdump(read.bytes, {
                address: read.address,
                isPresent: presenceFromStatus(read.address, read.status),
                style: ctx.style,
              }),
            );
          });
        },
      );
  },
};
