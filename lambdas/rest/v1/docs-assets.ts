// The files of the interactive docs page (Swagger UI, from swagger-ui-dist), kept out of the Lambda bundle: on Lambda
// they are deployed beside it (FUNCTIONS.apiDocs.assets), locally they are read from node_modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileDocsAssets } from '../../adapters/files/file-docs-assets.js';
import { lazy } from '../../shared/platform.js';

/** Each file the page loads from swagger-ui-dist, with the content type it is answered with. */
export const SWAGGER_UI_FILES = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  // The top bar that chooses between the customers' and the admin document.
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
} as const;

export type SwaggerUiFile = keyof typeof SWAGGER_UI_FILES;

export const isSwaggerUiFile = (name: string): name is SwaggerUiFile => Object.hasOwn(SWAGGER_UI_FILES, name);

export interface DocsAssets {
  /** The file's text; throws when it cannot be read (a deployment without it is broken, not the request). */
  read(name: SwaggerUiFile): Promise<string>;
}

/**
 * A bundle finds the files in its own folder (CDK copied them there); the source, run by the local stack and tests,
 * does not have them beside it and takes them from the installed package.
 */
export function docsAssetsDir(moduleUrl: string = import.meta.url): string {
  const own = dirname(fileURLToPath(moduleUrl));
  if (Object.keys(SWAGGER_UI_FILES).every((name) => existsSync(join(own, name)))) return own;
  return dirname(createRequire(moduleUrl).resolve('swagger-ui-dist/package.json'));
}

export const docsAssets: () => DocsAssets = /* @__PURE__ */ lazy(() => new FileDocsAssets(docsAssetsDir()));
