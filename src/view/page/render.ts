/**
 * Renders a DumpView into the page: plain DOM, every string from the dump
 * set as text (never as HTML), so a crafted dump cannot inject markup.
 */
import { formatHexdump } from '../../analyze/hexdump.js';
import type { CrashDump } from '../../dump/reader/index.js';
import { decodeModelDiagnostics, type ModelDiagnostics } from '../../format/index.js';
import { MEMORY_CATEGORIES, type MemoryPicture } from '../memoryMap.js';
import { type DumpView, findBlob, MAX_TRIAGE_ROWS, type ViewBlob, type ViewModule } from '../model.js';
import type { Timeline } from '../timeline.js';
import { type Child, h, section, table } from './dom.js';

/** Bytes of a blob shown as hex before "show more". */
const HEX_PREVIEW = 4096;
/** Most bytes "show more" shows (the rest is for Download). */
const HEX_MAX = 1024 * 1024;

const codeText = (hex: string): string => `0x${BigInt(hex).toString(16).toUpperCase()}`;
const n = (v: number): string => v.toLocaleString('en-US');

function keyValues(rows: [string, Child][]): HTMLElement {
  return h('dl', { class: 'kv' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function summarySection(view: DumpView): HTMLElement {
  const a = view.analysis;
  const errors = a.problems.filter((p) => p.severity === 'error').length;
  return h(
    'header',
    { id: 'summary' },
    h('h1', {}, view.name.split(/[\\/]/).at(-1) ?? view.name),
    keyValues([
      ['File', `${view.name} (${n(view.fileSize)} bytes)`],
      ['Dump', `${a.dumpTypeName} (DumpType ${a.dumpType}), ${a.body.kind} body`],
      ['Machine', `${a.machine}, ${a.processors} processors, build ${a.build} ${a.buildType}`],
      ['System time', a.systemTime ?? '—'],
      ['Up time', a.systemUpTime?.text ?? '—'],
      ['Problems', `${a.problems.length}${errors > 0 ? ` (${errors} errors)` : ''}`],
    ]),
  );
}

function bugCheckSection(view: DumpView): HTMLElement {
  const bc = view.analysis.bugCheck;
  const fm = view.analysis.faultingModule;
  const rows = bc.parameters.map((p, i) => [
    `Arg${i + 1}`,
    h('code', {}, p),
    bc.parameterMeanings?.[i]?.name ?? '',
    bc.parameterMeanings?.[i]?.meaning ?? '',
    bc.parameterSymbols?.[i] ?? '',
  ]);
  return section(
    'bugcheck',
    'Bug check',
    h('p', { class: 'bugcheck-name' }, h('strong', { class: 'code' }, codeText(bc.code)), ' ', bc.name),
    bc.summary === undefined ? null : h('p', { class: 'summary' }, bc.summary),
    bc.case === undefined ? null : h('p', { class: 'case' }, `Arg${bc.case.parameter}: ${bc.case.description}`),
    table(['', 'Value', 'Parameter', 'Meaning', 'Points into'], rows, { class: 'params' }),
    keyValues([
      ['FAILURE_BUCKET_ID', h('code', { id: 'bucket-id' }, view.analysis.failureBucketId ?? '—')],
      ['Faulting module', fm === undefined ? '—' : `${fm.name} (${fm.image}) at ${fm.symbol}`],
      ['Process', view.analysis.processName ?? '—'],
    ]),
  );
}

function registersSection(view: DumpView): HTMLElement {
  const c = view.analysis.context;
  if (c === undefined) return section('registers', 'Registers', h('p', { class: 'note' }, 'No context in this dump.'));
  return section(
    'registers',
    'Registers',
    h('p', { class: 'note' }, `${c.architecture}, from ${c.source}`),
    h(
      'div',
      { class: 'registers' },
      ...Object.entries(c.registers).map(([name, value]) =>
        h('span', { class: 'reg' }, h('b', {}, name), ' ', h('code', {}, value)),
      ),
    ),
  );
}

function stackSection(view: DumpView): HTMLElement {
  const stack = view.analysis.stack ?? [];
  if (stack.length === 0) return section('stack', 'Stack', h('p', { class: 'note' }, 'No stack could be walked.'));
  return section(
    'stack',
    'Stack',
    table(
      ['#', 'Child-SP', 'RetAddr', 'Call site', 'How'],
      stack.map((f) => [
        f.frame,
        h('code', {}, f.sp),
        h('code', {}, f.returnAddress ?? ''),
        h('code', {}, f.symbol),
        f.method,
      ]),
      { class: 'stack' },
    ),
  );
}

type ModuleKey = 'name' | 'base' | 'size' | 'timeDateStamp';
const MODULE_COLUMNS: { key: ModuleKey; label: string }[] = [
  { key: 'name', label: 'Module' },
  { key: 'base', label: 'Start' },
  { key: 'size', label: 'Size' },
  { key: 'timeDateStamp', label: 'Timestamp' },
];

function compareModules(key: ModuleKey, a: ViewModule, b: ViewModule): number {
  if (key === 'name') return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
  if (key === 'size') return a.size - b.size;
  const x = BigInt(a[key]);
  const y = BigInt(b[key]);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The loaded-module table; a click on a column heading sorts by it (again: the other way). */
function modulesSection(view: DumpView): HTMLElement {
  const loaded = [...view.modules.loaded];
  const body = h('tbody', {});
  const heads = MODULE_COLUMNS.map((c) => h('th', { 'data-key': c.key, 'aria-sort': 'none', tabindex: 0 }, c.label));
  let sortKey: ModuleKey | null = null;
  let ascending = true;
  const fill = (): void => {
    body.replaceChildren(
      ...loaded.map((m) =>
        h(
          'tr',
          {},
          h('td', {}, m.name),
          h('td', {}, h('code', {}, m.base)),
          h('td', { class: 'num' }, n(m.size)),
          h('td', {}, h('code', {}, m.timeDateStamp)),
        ),
      ),
    );
  };
  for (const [i, th] of heads.entries()) {
    const sort = (): void => {
      const key = MODULE_COLUMNS[i]!.key;
      ascending = sortKey === key ? !ascending : true;
      sortKey = key;
      loaded.sort((a, b) => (ascending ? 1 : -1) * compareModules(key, a, b));
      for (const other of heads) other.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      fill();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') sort();
    });
  }
  fill();
  const unloaded = view.modules.unloaded;
  return section(
    'modules',
    `Modules (${loaded.length} loaded, ${unloaded.length} unloaded)`,
    h('table', { class: 'modules sortable' }, h('thead', {}, h('tr', {}, ...heads)), body),
    unloaded.length === 0
      ? null
      : h(
          'details',
          {},
          h('summary', {}, `Unloaded drivers (${unloaded.length})`),
          table(
            ['Name', 'Start', 'End'],
            unloaded.map((u) => [u.name, h('code', {}, u.base), h('code', {}, u.end)]),
          ),
        ),
  );
}

function diagnosticsTables(d: ModelDiagnostics): HTMLElement {
  return h(
    'div',
    { class: 'diagnostics' },
    h('p', {}, `Bug check ${codeText(d.bugCheck.code)} (${d.bugCheck.parameters.join(', ')})`),
    table(
      ['Component', 'Reason', 'State', 'Calls', 'Blocks', 'Bytes', 'Pages +', 'Pages −', 'Triage', 'DumpIo', 'Module'],
      d.callbacks.map((c) => [
        c.component,
        c.reasonName,
        c.stateName,
        c.calls,
        c.secondaryBlocks,
        c.secondaryBytes,
        c.pagesAdded,
        c.pagesRemoved,
        c.triageRanges,
        c.dumpIoCalls,
        c.routineModule ?? '',
      ]),
      { class: 'diagnostics-callbacks' },
    ),
    d.violations.length === 0
      ? h('p', {}, 'Violations: none')
      : table(
          ['Component', 'Reason', 'Kind', 'Detail'],
          d.violations.map((v) => [v.component, v.reasonName, v.kind, v.detail]),
          { class: 'diagnostics-violations' },
        ),
  );
}

async function blobBytes(dump: CrashDump, blob: ViewBlob, length: number): Promise<Uint8Array> {
  const found = await findBlob(dump, blob.index);
  if (found === undefined) throw new Error(`blob ${blob.index} is gone`);
  return dump.readBlobRange(found, 0, Math.min(length, found.size));
}

/** Saves the whole blob, read piece by piece, as a file the browser downloads. */
async function downloadBlob(dump: CrashDump, blob: ViewBlob): Promise<void> {
  const found = await findBlob(dump, blob.index);
  if (found === undefined) return;
  const parts: BlobPart[] = [];
  for await (const chunk of dump.blobChunks(found)) parts.push(new Uint8Array(chunk));
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/octet-stream' }));
  const a = h('a', { href: url, download: `blob-${blob.index}-${blob.guid}.bin` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function hexView(bytes: Uint8Array): HTMLElement {
  return h('pre', { class: 'hex' }, formatHexdump(bytes, { prefix: 'offset', upperCase: true }).join('\n'));
}

async function showBlob(dump: CrashDump, view: DumpView, blob: ViewBlob, panel: HTMLElement): Promise<void> {
  const header = h(
    'div',
    { class: 'blob-head' },
    h('strong', {}, `Blob ${blob.index}: {${blob.guid.toUpperCase()}}`),
    ` — ${n(blob.size)} bytes at file offset ${blob.offset} `,
  );
  const download = h('button', { type: 'button', class: 'download' }, 'Download');
  download.addEventListener('click', () => void downloadBlob(dump, blob));
  header.append(download);
  const body = h('div', { class: 'blob-body' });
  panel.replaceChildren(header, body);
  if (blob.size === 0) {
    body.append(h('p', { class: 'note' }, 'Empty blob.'));
    return;
  }
  let diagnostics: ModelDiagnostics | undefined;
  if (blob.index === view.diagnosticsBlob) diagnostics = view.analysis.modelDiagnostics;
  else if (blob.label !== null && blob.size <= 64 * 1024 * 1024) {
    try {
      diagnostics = decodeModelDiagnostics(await blobBytes(dump, blob, blob.size));
    } catch {
      diagnostics = undefined;
    }
  }
  const raw = async (): Promise<void> => {
    const shown = await blobBytes(dump, blob, HEX_PREVIEW);
    const hex = hexView(shown);
    body.replaceChildren(hex);
    if (blob.size > shown.length) {
      const more = h(
        'button',
        { type: 'button', class: 'more' },
        `Show up to ${n(Math.min(blob.size, HEX_MAX))} bytes`,
      );
      more.addEventListener('click', async () => {
        hex.replaceWith(hexView(await blobBytes(dump, blob, HEX_MAX)));
        more.remove();
      });
      body.append(more, h('p', { class: 'note' }, `${n(blob.size - shown.length)} more bytes (Download has them all)`));
    }
  };
  if (diagnostics !== undefined) {
    const decoded = diagnosticsTables(diagnostics);
    const toggle = h('button', { type: 'button', class: 'raw' }, 'Hex and ASCII');
    toggle.addEventListener('click', () => void raw());
    body.replaceChildren(decoded, toggle);
  } else {
    await raw();
  }
}

function blobsSection(dump: CrashDump, view: DumpView): HTMLElement {
  if (view.blobs.length === 0) return section('blobs', 'Secondary data', h('p', { class: 'note' }, 'No blobs.'));
  const panel = h('div', { id: 'blob-panel', class: 'panel' }, h('p', { class: 'note' }, 'Choose a blob.'));
  const rows = view.blobs.map((b) => {
    const button = h('button', { type: 'button', class: 'show-blob', 'data-index': b.index }, 'Show');
    button.addEventListener('click', () => {
      panel.replaceChildren(h('p', { class: 'note' }, 'Reading…'));
      showBlob(dump, view, b, panel).catch((e: unknown) =>
        panel.replaceChildren(h('p', { class: 'error' }, e instanceof Error ? e.message : String(e))),
      );
    });
    return [b.index, h('code', {}, `{${b.guid.toUpperCase()}}`), n(b.size), b.label ?? '', button];
  });
  return section(
    'blobs',
    `Secondary data (${view.blobs.length} blobs)`,
    table(['#', 'Tag', 'Bytes', 'What', ''], rows, { class: 'blobs' }),
    panel,
  );
}

function triageSection(view: DumpView): HTMLElement {
  if (view.triageBlockCount === 0)
    return section('triage', 'Triage data blocks', h('p', { class: 'note' }, 'None (only small dumps have them).'));
  const total = view.triageBlocks.reduce((s, b) => s + b.size, 0);
  return section(
    'triage',
    `Triage data blocks (${n(view.triageBlockCount)})`,
    view.triageBlockCount > MAX_TRIAGE_ROWS
      ? h('p', { class: 'note' }, `The first ${n(MAX_TRIAGE_ROWS)} of ${n(view.triageBlockCount)}.`)
      : h('p', { class: 'note' }, `${n(total)} bytes of virtual memory.`),
    table(
      ['Virtual address', 'Bytes', 'File offset'],
      view.triageBlocks.map((b) => [h('code', {}, b.address), n(b.size), h('code', {}, b.offset)]),
      { class: 'triage-blocks' },
    ),
  );
}

const CATEGORY_LABEL: Record<(typeof MEMORY_CATEGORIES)[number], string> = {
  removed: 'removed by a callback',
  added: 'added by a callback',
  kernel: 'in the dump, kernel',
  user: 'in the dump, user',
  unmapped: 'in the dump, no mapping found',
  absent: 'not in the dump',
};

function memorySection(view: DumpView): HTMLElement {
  const m = view.memory;
  if (!m.available) return section('memory', 'Physical memory', h('p', { class: 'note' }, m.reason));
  const picture = m as MemoryPicture;
  const columns = 128;
  const rows = Math.ceil(picture.cells.length / columns);
  const scale = 5;
  const canvas = h('canvas', {
    id: 'memory-map',
    width: columns * scale,
    height: rows * scale,
    role: 'img',
    'aria-label': `physical memory: ${n(picture.totalPages)} pages, ${picture.pagesPerCell} per cell`,
  });
  const context = canvas.getContext('2d');
  if (context !== null) {
    for (const [i, c] of picture.cells.entries()) {
      context.fillStyle = getComputedStyle(document.documentElement)
        .getPropertyValue(`--mem-${MEMORY_CATEGORIES[c]}`)
        .trim();
      context.fillRect((i % columns) * scale, Math.floor(i / columns) * scale, scale - 1, scale - 1);
    }
  }
  const legend = h(
    'ul',
    { class: 'legend' },
    ...MEMORY_CATEGORIES.map((c) =>
      h(
        'li',
        { 'data-category': c },
        h('span', { class: `swatch mem-${c}` }),
        `${CATEGORY_LABEL[c]}: `,
        h('b', {}, n(picture.counts[c])),
        ' pages',
      ),
    ),
  );
  return section(
    'memory',
    'Physical memory',
    h(
      'p',
      { class: 'note' },
      `${n(picture.totalPages)} pages of RAM (PFN 0 to ${n(picture.totalPages - 1)}), ${n(picture.presentPages)} in the dump; one square = ${picture.pagesPerCell} page${picture.pagesPerCell === 1 ? '' : 's'}, left to right, top to bottom. Owners: ${picture.owners}.${picture.unplacedPages > 0 ? ` ${n(picture.unplacedPages)} added/removed pages could not be placed.` : ''}`,
    ),
    h('div', { class: 'memory' }, canvas, legend),
  );
}

function timelineSection(view: DumpView): HTMLElement {
  const t = view.timeline;
  if (!t.available) return section('timeline', 'Bug check timeline', h('p', { class: 'note' }, t.reason));
  const timeline = t as Timeline;
  const head = h(
    'tr',
    {},
    h('th', {}, 'Callback'),
    ...timeline.phases.map((p, i) => h('th', { title: p.what, class: 'phase' }, `${i + 1}. ${p.label}`)),
    h('th', {}, 'Outcome'),
  );
  const rows = timeline.rows.map((r) => {
    const cells = timeline.phases.map((p) => {
      const took = r.phases.includes(p.id);
      return h(
        'td',
        { class: took ? `took ${r.outcome.replace(' ', '-')}` : 'idle', 'data-phase': p.id },
        took ? (r.violations.length > 0 ? '▲' : '●') : '',
      );
    });
    const outcome = h(
      'td',
      { class: 'outcome' },
      h('div', {}, `${r.stateName}${r.calls === null ? '' : ` · ${r.calls} call${r.calls === 1 ? '' : 's'}`}`),
      r.contribution.length > 0 ? h('div', { class: 'note' }, r.contribution.join('; ')) : null,
      r.skipped.length > 0 ? h('div', { class: 'note' }, `skipped: ${r.skipped.join('; ')}`) : null,
      ...r.violations.map((v) => h('div', { class: 'violation' }, `${v.kind}: ${v.detail}`)),
    );
    return h(
      'tr',
      { class: r.violations.length > 0 ? 'has-violation' : '' },
      h(
        'th',
        { scope: 'row' },
        h('div', {}, r.component),
        h('div', { class: 'note' }, `${r.reasonName}${r.routineModule === null ? '' : ` · ${r.routineModule}`}`),
      ),
      ...cells,
      outcome,
    );
  });
  return section(
    'timeline',
    'Bug check timeline',
    h(
      'p',
      { class: 'note' },
      'Phases in the order the kernel runs them; ● took part, ▲ took part and broke a rule. ',
      timeline.legacyNote,
    ),
    timeline.nested === null ? null : h('p', { class: 'violation' }, timeline.nested),
    h('table', { class: 'timeline' }, h('thead', {}, head), h('tbody', {}, ...rows)),
    timeline.otherViolations.length === 0
      ? null
      : h(
          'ul',
          { class: 'violations' },
          ...timeline.otherViolations.map((v) => h('li', {}, `${v.component} — ${v.kind}: ${v.detail}`)),
        ),
  );
}

function problemsSection(view: DumpView): HTMLElement {
  const problems = view.analysis.problems;
  return section(
    'problems',
    `Problems (${problems.length})`,
    problems.length === 0
      ? h('p', { class: 'note' }, 'None.')
      : h(
          'ul',
          {},
          ...problems
            .slice(0, 200)
            .map((p) => h('li', { class: p.severity }, `${p.severity}: ${p.message} (${p.code})`)),
        ),
  );
}

/** The whole report for one dump. */
export function renderDump(dump: CrashDump, view: DumpView): HTMLElement {
  return h(
    'main',
    { id: 'report' },
    summarySection(view),
    h(
      'nav',
      {},
      ...[
        ['bugcheck', 'Bug check'],
        ['registers', 'Registers'],
        ['stack', 'Stack'],
        ['modules', 'Modules'],
        ['blobs', 'Secondary data'],
        ['triage', 'Triage blocks'],
        ['memory', 'Memory'],
        ['timeline', 'Timeline'],
        ['problems', 'Problems'],
      ].map(([id, label]) => h('a', { href: `#${id}` }, label)),
    ),
    bugCheckSection(view),
    timelineSection(view),
    memorySection(view),
    registersSection(view),
    stackSection(view),
    modulesSection(view),
    blobsSection(dump, view),
    triageSection(view),
    problemsSection(view),
  );
}
