// Docs page files read from a folder once per container (they never change while it lives).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocsAssets, SwaggerUiFile } from '../../rest/v1/docs-assets.js';

export class FileDocsAssets implements DocsAssets {
  private readonly files = new Map<SwaggerUiFile, Promise<string>>();

  constructor(private readonly dir: string) {}

  read(name: SwaggerUiFile): Promise<string> {
    let text = this.files.get(name);
    if (!text) {
      text = readFile(join(this.dir, name), 'utf8');
      // A failed read is not kept: the next request tries again.
      text.catch(() => this.files.delete(name));
      this.files.set(name, text);
    }
    return text;
  }
}
