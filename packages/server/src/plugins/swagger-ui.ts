/**
 * @module plugins/swagger-ui
 * Swagger UI at `/swagger`, served entirely by this server from the `swagger-ui-dist` package: the page
 * must render with no internet, and the CSP only allows this origin. The page's script lives in its own
 * file, so no inline script is needed.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZekkaError } from '@zekka/core';
import { Elysia } from 'elysia';
import { OPENAPI_PATH } from './openapi.ts';

const ASSET_PREFIX = '/swagger/assets';

/** The files the page uses, by name; nothing else from the package folder is reachable. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Zekka API</title>
  <link rel="stylesheet" href="${ASSET_PREFIX}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${ASSET_PREFIX}/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="${ASSET_PREFIX}/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${ASSET_PREFIX}/swagger-ui-bundle.js"></script>
  <script src="${ASSET_PREFIX}/init.js"></script>
</body>
</html>
`;

// validatorUrl: null stops the UI from sending the document to validator.swagger.io.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
  });
});
`;

/** The folder of the installed `swagger-ui-dist` package. */
export function swaggerUiDistFolder(): string {
  return dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));
}

const CACHE_ASSETS = 'public, max-age=86400';

export function swaggerUiPlugin() {
  const folder = swaggerUiDistFolder();
  const hidden = { detail: { hide: true } };
  return new Elysia({ name: 'zekka/swagger-ui' })
    .get(
      '/swagger',
      ({ set }) => {
        set.headers['content-type'] = 'text/html; charset=utf-8';
        return PAGE;
      },
      hidden,
    )
    .get(
      `${ASSET_PREFIX}/init.js`,
      ({ set }) => {
        set.headers['content-type'] = 'text/javascript; charset=utf-8';
        return INIT_SCRIPT;
      },
      hidden,
    )
    .get(
      `${ASSET_PREFIX}/:file`,
      ({ params, set }) => {
        const type = Object.hasOwn(ASSETS, params.file) ? ASSETS[params.file] : undefined;
        if (type === undefined) throw new ZekkaError('NOT_FOUND', 'No such asset');
        set.headers['content-type'] = type;
        set.headers['cache-control'] = CACHE_ASSETS;
        return Bun.file(join(folder, params.file));
      },
      hidden,
    );
}
