/**
 * The viewer page's script (bundled for the browser by ../bundle.ts). It
 * opens the dump with the same reader as the CLI — from a File the user
 * picks (static page; read in place, nothing uploaded) or from the local
 * server's bytes (`bugcheck view DUMP`) — builds the DumpView and renders it.
 */
import { BlobDumpSource, type CrashDump, type DumpSource, openDumpSource } from '../../dump/reader/index.js';
import { buildDumpView } from '../model.js';
import { CONFIG_GLOBAL, type ViewConfig } from './config.js';
import { h } from './dom.js';
import { HttpRangeDumpSource } from './httpSource.js';
import { renderDump } from './render.js';

const app = document.getElementById('app') ?? document.body;
const status = h('p', { id: 'status', role: 'status' });
let current: CrashDump | undefined;

function setState(state: 'idle' | 'loading' | 'ready' | 'error', text: string): void {
  document.body.dataset.state = state;
  status.textContent = text;
  status.className = state === 'error' ? 'error' : 'note';
}

async function show(source: DumpSource): Promise<void> {
  setState('loading', `Reading ${source.name}…`);
  document.getElementById('report')?.remove();
  try {
    await current?.close();
    current = undefined;
    const dump = await openDumpSource(source);
    current = dump;
    const view = await buildDumpView(dump);
    app.append(renderDump(dump, view));
    document.title = `${view.analysis.bugCheck.name} — ${source.name} — bugcheck view`;
    setState(
      'ready',
      `${source.name}: read in place, ${view.fileSize.toLocaleString('en-US')} bytes; nothing was uploaded.`,
    );
  } catch (e) {
    const code =
      typeof e === 'object' && e !== null && 'code' in e ? ` (${String((e as { code: unknown }).code)})` : '';
    setState('error', `Cannot read ${source.name}: ${e instanceof Error ? e.message : String(e)}${code}`);
  }
}

function picker(): HTMLElement {
  const input = h('input', { type: 'file', id: 'file', accept: '.dmp,application/octet-stream' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file !== undefined) void show(new BlobDumpSource(file));
  });
  const drop = h(
    'div',
    { id: 'drop' },
    h('p', {}, 'Choose a Windows crash dump (.dmp) or drop it here.'),
    input,
    h('p', { class: 'note' }, 'The file is read in place by this page, a slice at a time. Nothing is uploaded.'),
  );
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file !== undefined) void show(new BlobDumpSource(file));
  });
  return drop;
}

const config = (window as unknown as Record<string, ViewConfig | undefined>)[CONFIG_GLOBAL] ?? { mode: 'static' };
app.append(h('h1', { class: 'title' }, 'bugcheck view'));
if (config.mode === 'static') {
  app.append(picker(), status);
  setState('idle', 'No dump open.');
} else {
  app.append(status);
  void show(new HttpRangeDumpSource(config.dumpUrl, config.name, config.size));
}
