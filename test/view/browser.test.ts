/**
 * The viewer in a real browser (headless Chromium, driven by playwright-core):
 * the static page opening each demo dump and the genuine triage dump from
 * disk, and the page `bugcheck view DUMP` serves. Checks what a person sees
 * against the CLI's own JSON of the same dump, clicks through the blobs,
 * downloads one, sorts the module table, and takes screenshots.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DumpAnalysis } from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { pageHtml, startViewServer } from '../../src/view/index.js';
import { json, runCli } from '../cli/helpers.js';
import { GENUINE_DUMP_PATH, requireGenuineDump } from '../genuineDump.js';
import { browserSkip, launchChromium, writeDemoDumps } from './helpers.js';

/** Set BUGCHECK_VIEW_SCREENSHOTS=docs to refresh the README's pictures. */
const SCREENSHOTS = process.env.BUGCHECK_VIEW_SCREENSHOTS;

let browser: Browser;
let shots: string;
let staticPage: string;
let demo: Record<'complete' | 'kernel' | 'small', string>;

before(async () => {
  if (browserSkip() !== false) return;
  browser = await launchChromium();
  shots = SCREENSHOTS === undefined ? await mkdtemp(join(tmpdir(), 'bugcheck-view-shots-')) : resolve(SCREENSHOTS);
  const dir = await mkdtemp(join(tmpdir(), 'bugcheck-view-page-'));
  staticPage = join(dir, 'index.html');
  await writeFile(staticPage, await pageHtml({ mode: 'static' }));
  demo = await writeDemoDumps();
});
after(async () => {
  await browser?.close();
});

async function analysisOf(path: string): Promise<DumpAnalysis> {
  const run = await runCli(['analyze', path, '--json']);
  return json<DumpAnalysis>(run);
}

/** A new page that records every request it makes and fails the test on a script error. */
async function newPage(): Promise<{
  page: Page;
  requests: { url: string; range: string | undefined }[];
  errors: string[];
}> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const requests: { url: string; range: string | undefined }[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), range: r.headers().range }));
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, requests, errors };
}

async function waitReady(page: Page): Promise<void> {
  // Selectors, not functions evaluated in the page: its Content-Security-Policy forbids eval.
  await page.locator('body[data-state="ready"], body[data-state="error"]').waitFor({ timeout: 120_000 });
  const state = await page.getAttribute('body', 'data-state');
  assert.equal(state, 'ready', `page state: ${await page.textContent('#status')}`);
}

async function openStatic(path: string): Promise<{ page: Page; requests: { url: string }[]; errors: string[] }> {
  const opened = await newPage();
  await opened.page.goto(pathToFileURL(staticPage).href);
  await opened.page.setInputFiles('#file', path);
  await waitReady(opened.page);
  return opened;
}

async function legendCount(page: Page, category: string): Promise<number> {
  return Number(((await page.textContent(`#memory li[data-category="${category}"] b`)) ?? '').replace(/,/g, ''));
}

/** The picture accounts for every page the reader finds in the dump, and marks the pages callbacks added and removed. */
async function assertMemory(page: Page, path: string, a: DumpAnalysis): Promise<void> {
  const dump = await openDump(path);
  let present = 0;
  for await (const _ of dump.physicalPages()) present++;
  await dump.close();
  const shown = await Promise.all(['kernel', 'user', 'unmapped', 'added'].map((c) => legendCount(page, c)));
  assert.equal(
    shown.reduce((x, y) => x + y, 0),
    present,
  );
  const diag = a.modelDiagnostics!;
  assert.equal(
    await legendCount(page, 'added'),
    diag.callbacks.reduce((n, c) => n + c.pagesAdded, 0),
  );
  assert.equal(
    await legendCount(page, 'removed'),
    diag.callbacks.reduce((n, c) => n + c.pagesRemoved, 0),
  );
}

/** What every dump's page must show, checked against `bugcheck analyze --json` and the reader. */
async function assertReport(page: Page, path: string): Promise<DumpAnalysis> {
  const a = await analysisOf(path);
  const code = `0x${BigInt(a.bugCheck.code).toString(16).toUpperCase()}`;
  assert.equal((await page.textContent('#bugcheck .bugcheck-name'))?.trim(), `${code} ${a.bugCheck.name}`);
  assert.equal(await page.textContent('#bucket-id'), a.failureBucketId);
  const params = await page.$$eval('#bugcheck table.params tbody tr td:nth-child(2)', (tds) =>
    tds.map((t) => t.textContent),
  );
  assert.deepEqual(params, a.bugCheck.parameters);
  if (a.context !== undefined) {
    const rip = (a.context.registers as Record<string, string>).rip;
    assert.ok(rip !== undefined);
    assert.match((await page.textContent('#registers')) ?? '', new RegExp(`rip ${rip}`));
  }
  assert.equal(await page.locator('#stack table.stack tbody tr').count(), a.stack?.length ?? 0);
  assert.equal(await page.locator('#modules table.modules tbody tr').count(), a.modules.loaded);
  assert.equal(await page.locator('#blobs table.blobs tbody tr').count(), a.secondaryData.length);
  return a;
}

/** Clicks every blob's Show: its panel names it; raw blobs show hex and ASCII, our diagnostics blob its tables. */
async function clickThroughBlobs(page: Page, a: DumpAnalysis): Promise<void> {
  const buttons = page.locator('#blobs button.show-blob');
  const count = await buttons.count();
  for (let i = 0; i < count; i++) {
    await buttons.nth(i).click();
    const head = page.locator('#blob-panel .blob-head strong');
    await head.waitFor();
    assert.equal(await head.textContent(), `Blob ${i}: {${a.secondaryData[i]!.guid.toUpperCase()}}`);
    const body = page.locator('#blob-panel .blob-body');
    await body.locator('pre.hex, table.diagnostics-callbacks, p.note').first().waitFor();
    if (a.secondaryData[i]!.guid === '8e040bfb-600e-4ccd-8769-ac168bbe980e') {
      const rows = await body.locator('table.diagnostics-callbacks tbody tr').count();
      assert.equal(rows, a.modelDiagnostics?.callbacks.length);
      await body.locator('button.raw').click();
      assert.match(
        (await body.locator('pre.hex').textContent()) ?? '',
        /^0000 {2}7B 22 66 6F/,
        'the JSON as hex: {"fo…',
      );
    } else if (a.secondaryData[i]!.size > 0) {
      const hex = (await body.locator('pre.hex').textContent()) ?? '';
      assert.match(hex.split('\n')[0] ?? '', /^0000 {2}([0-9A-F]{2}[ -]){0,15}[0-9A-F]{2} {2}.+$/);
    }
  }
}

describe('bugcheck view in Chromium', { skip: browserSkip(), timeout: 600_000 }, () => {
  it('the static page opens the demo kernel dump from disk: bug check, registers, stack, modules sortable, blobs, memory, timeline; nothing is fetched', async () => {
    const { page, requests, errors } = await openStatic(demo.kernel);
    const a = await assertReport(page, demo.kernel);
    assert.equal(a.bugCheck.name, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL');
    assert.equal(a.faultingModule?.name, 'devstate');
    await clickThroughBlobs(page, a);

    // The module table sorts by a click on a heading, the other way on a second click.
    const sizes = async (): Promise<number[]> =>
      page.$$eval('#modules table.modules tbody tr td:nth-child(3)', (tds) =>
        tds.map((t) => Number((t.textContent ?? '').replace(/,/g, ''))),
      );
    await page.click('#modules th[data-key="size"]');
    const up = await sizes();
    assert.deepEqual(
      up,
      [...up].sort((x, y) => x - y),
    );
    assert.equal(await page.getAttribute('#modules th[data-key="size"]', 'aria-sort'), 'ascending');
    await page.click('#modules th[data-key="size"]');
    assert.deepEqual(await sizes(), [...up].reverse());
    await page.click('#modules th[data-key="name"]');
    const names = await page.$$eval('#modules table.modules tbody tr td:first-child', (tds) =>
      tds.map((t) => t.textContent ?? ''),
    );
    assert.deepEqual(
      names,
      [...names].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' })),
    );

    // Physical memory: the pages devstate.sys added and secretkeeper.sys removed, from the diagnostics block.
    await assertMemory(page, demo.kernel, a);
    const diag = a.modelDiagnostics!;
    assert.ok((await legendCount(page, 'added')) > 0 && (await legendCount(page, 'removed')) > 0);
    assert.equal(await legendCount(page, 'unmapped'), 0, 'a kernel dump holds only mapped kernel pages');

    // The timeline: one row per reason callback (+ the legacy record), the sloppy driver's violation on its row.
    const rows = page.locator('#timeline table.timeline tbody tr');
    assert.equal(await rows.count(), diag.callbacks.length + 1);
    const sloppy = page.locator('#timeline tr.has-violation', { hasText: 'SloppyStats' });
    assert.match((await sloppy.textContent()) ?? '', /BufferIncomplete.*allocate: ExAllocatePool2/);
    assert.equal(await sloppy.locator('td[data-phase="size"]').textContent(), '▲');
    assert.equal(await sloppy.locator('td[data-phase="data"]').textContent(), '');
    const legacy = page.locator('#timeline tbody tr', { hasText: 'LegacyDevice' }).last();
    assert.equal(await legacy.locator('td[data-phase="legacy"]').textContent(), '●');

    // Download of a blob: the same bytes as `bugcheck blob`.
    const flight = a.secondaryData.findIndex((b) => b.size > 0 && !b.guid.startsWith('8e040bfb'));
    await page.locator('#blobs button.show-blob').nth(flight).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#blob-panel button.download')]);
    const saved = await readFile((await download.path())!);
    const cli = await runCli(['blob', demo.kernel, a.secondaryData[flight]!.guid, '--index', String(flight)]);
    assert.deepEqual(saved, cli.stdoutBytes);

    assert.deepEqual(
      requests.map((r) => r.url),
      [pathToFileURL(staticPage).href],
      'the static page loads nothing and sends nothing',
    );
    assert.deepEqual(errors, []);
    await page.locator('#timeline').screenshot({ path: join(shots, 'view-timeline.png') });
    await page.locator('#memory').screenshot({ path: join(shots, 'view-memory.png') });
    await page.screenshot({ path: join(shots, 'view-bugcheck.png') });
    assert.ok((await stat(join(shots, 'view-timeline.png'))).size > 1000);
    await page.close();
  });

  it('the static page opens the demo complete and small dumps', async () => {
    const complete = await openStatic(demo.complete);
    const a = await assertReport(complete.page, demo.complete);
    assert.equal(a.dumpType, 5);
    await assertMemory(complete.page, demo.complete, a);
    assert.ok((await legendCount(complete.page, 'unmapped')) > 0, 'a complete dump also holds pages nothing maps');
    await clickThroughBlobs(complete.page, a);
    await complete.page.close();

    const small = await openStatic(demo.small);
    const s = await assertReport(small.page, demo.small);
    assert.equal(s.dumpTypeName, 'DUMP_TYPE_TRIAGE');
    assert.match((await small.page.textContent('#memory')) ?? '', /holds no physical memory pages/);
    assert.equal(await small.page.locator('#triage table.triage-blocks tbody tr').count(), s.triage?.dataBlocks);
    assert.ok((s.triage?.dataBlocks ?? 0) > 0, 'triagehlp.sys added ranges');
    assert.equal(
      await small.page
        .locator('#timeline tbody tr', { hasText: 'TriageHelper' })
        .locator('td[data-phase="triage"]')
        .textContent(),
      '●',
    );
    await clickThroughBlobs(small.page, s);
    assert.deepEqual(small.errors, []);
    await small.page.close();
  });

  it('the static page opens the genuine Windows 10 triage dump', async (t) => {
    if (requireGenuineDump(t) === undefined) return;
    const { page, errors } = await openStatic(GENUINE_DUMP_PATH);
    const a = await assertReport(page, GENUINE_DUMP_PATH);
    assert.equal(a.bugCheck.code, '0x1000007e');
    assert.equal(await page.textContent('#bucket-id'), '0x1000007E_amdppm+0x334c');
    assert.match((await page.textContent('#triage h2')) ?? '', /^Triage data blocks \(1,831\)$/);
    assert.match((await page.textContent('#timeline')) ?? '', /no bugcheck model-diagnostics block/);
    await clickThroughBlobs(page, a);
    assert.deepEqual(errors, []);
    // Not kept in docs/: the genuine dump (and pictures of it) stays outside the repository.
    const genuineShot = await page.screenshot();
    assert.ok(genuineShot.length > 1000);
    await page.close();
  });

  it('`bugcheck view DUMP`: the loopback server’s page reads the dump with range requests', async () => {
    const server = await startViewServer(demo.kernel, 0);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const { page, requests, errors } = await newPage();
      await page.goto(server.url);
      await waitReady(page);
      const a = await assertReport(page, demo.kernel);
      await clickThroughBlobs(page, a);
      const dumpRequests = requests.filter((r) => r.url === `${server.url}dump`);
      assert.ok(dumpRequests.length > 0);
      assert.ok(
        dumpRequests.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? '')),
        'every read is a range',
      );
      assert.ok(
        requests.every((r) => r.url.startsWith(server.url)),
        'nothing but the local server',
      );
      const size = (await stat(demo.kernel)).size;
      const fetched = dumpRequests.reduce((n, r) => {
        const [from, to] = (r.range ?? '').replace('bytes=', '').split('-').map(Number);
        return n + (to! - from! + 1);
      }, 0);
      assert.ok(fetched < size / 4, `read ${fetched} of ${size} bytes: never the whole file`);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await server.close();
    }
  });
});
