// Docs page files read from a folder (the route keeps what it read for the container's life).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocsAssets, SwaggerUiFile } from '../../rest/v1/docs-assets.js';

export class FileDocsAssets implements DocsAssets {
  constructor(private readonly dir: string) {}

  read(name: SwaggerUiFile): Promise<string> {
    return readFile(join(this.dir, name), 'utf8');
  }
}
