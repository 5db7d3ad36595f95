import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/**
 * Chromium refuses ES module scripts on file:// pages (their origin is "null"), so the build
 * writes ONE self-contained index.html: the bundle is emitted as a classic IIFE script and this
 * plugin moves it, and the CSS, inline. The page then opens from file:// or any static server.
 */
function inlineEverything(): Plugin {
  return {
    name: 'playground:inline-everything',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find(
        (item) => item.type === 'asset' && item.fileName.endsWith('.html'),
      );
      if (html?.type !== 'asset') return;
      let page = String(html.source);
      for (const [fileName, item] of Object.entries(bundle)) {
        const reference = new RegExp(
          `<(script|link)[^>]*?(?:src|href)="\\./${fileName.replace(/[.]/g, '\\.')}"[^>]*>(?:</script>)?`,
        );
        if (item.type === 'chunk') {
          // A classic script at the end of <body> runs after the DOM it drives exists.
          const code = item.code.replace(/<\/script/gi, '<\\/script');
          page = page.replace(reference, '').replace('</body>', () => `<script>${code}</script>\n</body>`);
          delete bundle[fileName];
        } else if (fileName.endsWith('.css')) {
          const css = String(item.source).replace(/<\/style/gi, '<\\/style');
          page = page.replace(reference, () => `<style>${css}</style>`);
          delete bundle[fileName];
        }
      }
      // No network at run time: the page may load nothing but itself (downloads use blob: links).
      const policy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'";
      page = page.replace(
        '<meta charset="utf-8" />',
        () =>
          `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`,
      );
      html.source = page;
    },
  };
}

export default defineConfig({
  base: './',
  // Resolve @anneal/core to its TypeScript source (no build of core needed).
  resolve: { conditions: ['@anneal/source', ...defaultClientConditions] },
  plugins: [inlineEverything()],
  build: {
    modulePreload: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    rolldownOptions: { output: { format: 'iife' } },
  },
});
