/**
 * The viewer page as one self-contained HTML file: its script (src/view/page,
 * with the reader, the analyzer and the format layer it imports) bundled for
 * the browser by esbuild, the stylesheet and the page's configuration inline.
 * The sources ship with the package (package.json "files": src), so an
 * installed bugcheck bundles them the same way; the bundle is made once per
 * process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ViewError, ViewErrorCode } from './errors.js';
import { CONFIG_GLOBAL, type ViewConfig } from './page/config.js';
import { PAGE_CSS } from './page/styles.js';

/** src/view/page/main.ts, from src/view (tsx) or dist/src/view (built). */
function pageSource(name: string): string {
  for (const rel of [`./page/${name}`, `../../../src/view/page/${name}`]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new ViewError(ViewErrorCode.Page, `the viewer page's sources (src/view/page/${name}) are not installed`);
}

let script: Promise<string> | undefined;

/** The page's script, minified (~200 KB). */
export function pageScript(): Promise<string> {
  script ??= build({
    entryPoints: [pageSource('main.ts')],
    inject: [pageSource('bufferShim.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => {
    const text = result.outputFiles[0]?.text;
    if (text === undefined) throw new ViewError(ViewErrorCode.Page, 'esbuild produced no page script');
    return text;
  });
  return script;
}

/** `</script` inside inline script text would end the element early. */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The whole page. Its Content-Security-Policy lets the page load nothing
 * from anywhere and talk to nothing but the server that served it (none at
 * all for the static page): the dump is never sent anywhere.
 */
export async function pageHtml(config: ViewConfig): Promise<string> {
  const js = await pageScript();
  const connect = config.mode === 'served' ? "'self'" : "'none'";
  const csp = `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src ${connect}; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>bugcheck view</title>
<style>${PAGE_CSS}</style>
</head>
<body data-state="loading">
<div id="app"></div>
<script>window.${CONFIG_GLOBAL} = ${inlineScript(JSON.stringify(config))};</script>
<script>${inlineScript(js)}</script>
</body>
</html>
`;
}
